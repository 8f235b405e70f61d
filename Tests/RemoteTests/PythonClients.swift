import Foundation
import TestSupport

/// The independent clients: `huggingface_hub`'s `InferenceClient.text_generation` and `openai`'s
/// `completions.create`, each streamed and whole, against a server on `port`. Prints one JSON
/// object with what each got.
let pythonClientScript = #"""
import json, sys, warnings
warnings.simplefilter("ignore")
from huggingface_hub import InferenceClient
from openai import OpenAI

port, prompt, n, model = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
hf = InferenceClient(f"http://127.0.0.1:{port}", timeout=120)
pieces, final, reason = [], None, None
for out in hf.text_generation(prompt, max_new_tokens=n, stream=True, details=True):
    if not out.token.special:
        pieces.append(out.token.text)
    if out.generated_text is not None:
        final = out.generated_text
        reason = out.details.finish_reason if out.details else None
whole = hf.text_generation(prompt, max_new_tokens=n)

oa = OpenAI(base_url=f"http://127.0.0.1:{port}/v1", api_key="x", timeout=120, max_retries=0)
chunks, oa_reason = [], None
for ch in oa.completions.create(model=model, prompt=prompt, max_tokens=n, temperature=0, stream=True):
    chunks.append(ch.choices[0].text)
    if ch.choices[0].finish_reason:
        oa_reason = ch.choices[0].finish_reason
oa_whole = oa.completions.create(model=model, prompt=prompt, max_tokens=n, temperature=0)
models = [m.id for m in oa.models.list()]
print(json.dumps({
    "tgi_pieces": pieces, "tgi_final": final, "tgi_reason": reason, "tgi_whole": whole,
    "oa_chunks": chunks, "oa_reason": oa_reason, "oa_whole": oa_whole.choices[0].text,
    "oa_usage": oa_whole.usage.completion_tokens if oa_whole.usage else None, "models": models,
}))
"""#

/// What the Python clients got.
struct PythonClientResult: Decodable {
    var tgi_pieces: [String]
    var tgi_final: String?
    var tgi_reason: String?
    var tgi_whole: String
    var oa_chunks: [String]
    var oa_reason: String?
    var oa_whole: String
    var oa_usage: Int?
    var models: [String]
}

/// Runs the clients (python3 with `huggingface_hub` and `openai`, installed by `scripts/test-deps`).
func runPythonClients(port: Int, prompt: String, maxNewTokens: Int, model: String) throws -> PythonClientResult {
    let dir = try TestPaths.temporaryDirectory("pyclients")
    let script = dir.appendingPathComponent("clients.py")
    try pythonClientScript.write(to: script, atomically: true, encoding: .utf8)
    let r = try runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["python3", script.path, String(port), prompt, String(maxNewTokens), model])
    guard r.status == 0, let line = r.stdout.split(separator: "\n").last else {
        throw PythonClientFailure(text: "python clients failed (status \(r.status)): \(r.stderr.suffix(2000))")
    }
    return try JSONDecoder().decode(PythonClientResult.self, from: Data(line.utf8))
}

struct PythonClientFailure: Error, CustomStringConvertible { var text: String; var description: String { text } }
