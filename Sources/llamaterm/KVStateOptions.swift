import ArgumentParser
import Inference

/// `--kv-memory SIZE` and `--kv-disk-limit SIZE`: how much KV state the engine keeps in memory for
/// other prompts, and on disk between runs (`llamaterm cache list`).
struct KVStateOptions: ParsableArguments {
    @Option(name: .customLong("kv-memory"),
            help: ArgumentHelp("Memory for KV states of other conversations and variants, e.g. 2G (default: a quarter of the free memory; 0: only the current one).", valueName: "SIZE"))
    var memory: ByteSize?

    @Option(name: .customLong("kv-disk-limit"),
            help: ArgumentHelp("Disk space for saved KV states in $XDG_CACHE_HOME/llamaterm/kv (default 4G; 0: do not save or resume them).", valueName: "SIZE"))
    var diskLimit: ByteSize?

    /// The engine's memory bound (nil: its default).
    var memoryLimit: Int? { memory?.bytes }

    /// Where states are saved (nil when disabled).
    var disk: KVDiskSettings? {
        let limit = diskLimit?.bytes ?? KVDiskSettings.defaultByteLimit
        return limit > 0 ? KVDiskSettings(byteLimit: limit) : nil
    }
}
