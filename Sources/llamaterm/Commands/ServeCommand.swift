import ArgumentParser
import Foundation
import Inference
import Remote
import Server

/// `llamaterm serve`: the local engine behind TGI's and OpenAI's completion APIs, so a team can
/// share one machine and `llamaterm chat --backend tgi|openai` has a server to talk to.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a model over HTTP (TGI and OpenAI-compatible completion APIs).",
        discussion: """
            Endpoints: POST / (TGI; streams with "stream": true), /generate, /generate_stream, /tokenize, \
            GET /info, /health; POST /v1/completions (stream or not), GET /v1/models. One generation runs at a \
            time; further requests wait in a queue. Listens on 127.0.0.1 unless --host says otherwise; there is \
            no authentication, so expose it only on networks you trust.
            """)

    @Option(help: "The GGUF model (default: LLAMATERM_MODEL or the default model).")
    var model: String?

    @Option(help: "The port to listen on (0 picks a free one; the chosen port is printed).")
    var port: Int = 8080

    @Option(help: "The address to listen on.")
    var host: String = "127.0.0.1"

    @Option(help: "Worker threads (default: every core).")
    var threads: Int?

    @Option(name: .customLong("context"), help: "Context window in tokens (default: the model's, at most 8192).")
    var contextSize: Int?

    @Option(name: .customLong("max-queue"), help: "Most requests that may wait for their turn before the server answers 503.")
    var maxQueue: Int = 32

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        if let contextSize, contextSize < 16 { throw ValidationError("--context must be at least 16") }
        guard maxQueue >= 0 else { throw ValidationError("--max-queue must not be negative") }
    }

    func run() async throws {
        try await CLIErrors.report {
            let path = model ?? ModelLocator.defaultModelPath()
            let engine = try InferenceEngine(modelPath: path, contextLength: contextSize, threads: threads)
            let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
            let served = ServedModel(name: name, contextLength: engine.contextLength, tokenizer: engine.tokenizer, backend: engine)
            let server = InferenceServer(model: served, host: host, port: port, maxQueued: maxQueue)
            try server.start()
            let shownHost = host.contains(":") ? "[\(host)]" : host
            // The first line on standard output is the address (scripts and tests read it).
            FileHandle.standardOutput.write(Data("listening on http://\(shownHost):\(server.port)\n".utf8))
            CLIErrors.printNote("serving \(name) (window \(engine.contextLength) tokens, \(engine.threadCount) threads): TGI at http://\(shownHost):\(server.port)/generate_stream, OpenAI at http://\(shownHost):\(server.port)/v1/completions; Ctrl-C stops")
            await Self.waitForSignal()
            server.stop()
        }
    }

    /// Returns on SIGINT or SIGTERM.
    static func waitForSignal() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let once = OnceFlag()
            var sources: [DispatchSourceSignal] = []
            for sig in [SIGINT, SIGTERM] {
                signal(sig, SIG_IGN)
                let s = DispatchSource.makeSignalSource(signal: sig, queue: .global())
                s.setEventHandler { if once.set() { c.resume() } }
                s.resume()
                sources.append(s)
            }
            SignalSources.keep(sources)
        }
    }
}

/// Keeps the signal sources alive for the life of the process.
private enum SignalSources {
    nonisolated(unsafe) static var all: [DispatchSourceSignal] = []
    static func keep(_ s: [DispatchSourceSignal]) { all += s }
}

/// True the first time only.
private final class OnceFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var done = false
    func set() -> Bool { lock.lock(); defer { lock.unlock() }; if done { return false }; done = true; return true }
}
