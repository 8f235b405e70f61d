/// A terminal in memory, for tests: keeps the last frame, counts the cells each frame changed,
/// and hands out queued input.
public final class InMemoryBackend: TerminalBackend {
    public private(set) var width: Int
    public private(set) var height: Int
    public private(set) var frame: ScreenBuffer
    /// Cells that differed from the previous frame in the last `present`.
    public private(set) var lastChangedCells = 0
    public private(set) var clipboard: [String] = []
    public private(set) var isShutDown = false
    public var pendingInput: [InputEvent] = []

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
        frame = ScreenBuffer(width: width, height: height)
    }

    public var size: (width: Int, height: Int) { (width, height) }

    /// Changes the size, as a terminal resize would, and queues the resize event.
    public func resize(width: Int, height: Int) {
        self.width = width
        self.height = height
        pendingInput.append(.resize(width: width, height: height))
    }

    public func present(_ next: ScreenBuffer) {
        if next.width == frame.width && next.height == frame.height {
            var changed = 0
            for i in 0..<next.cells.count where next.cells[i] != frame.cells[i] { changed += 1 }
            lastChangedCells = changed
        } else {
            lastChangedCells = next.cells.count
        }
        frame = next
    }

    public func readAvailableInput() -> [InputEvent] {
        defer { pendingInput = [] }
        return pendingInput
    }

    public var inputFileDescriptor: Int32? { nil }

    public func copyToClipboard(_ text: String) { clipboard.append(text) }

    public func shutdown() { isShutDown = true }

    /// The last frame as text, one line per row, trailing spaces removed.
    public func screenText() -> String { frame.text() }
}
