import Foundation

/// JSON output of `llamaterm probe --json`.
public enum ProbeReportJSON {
    public static func render(_ report: ProbeReport) -> String {
        let sections: [[String: Any]] = report.sections.map { s in
            [
                "system": s.prompt.text,
                "prompt_name": s.prompt.name as Any? ?? NSNull(),
                "passed": s.passedCount,
                "probes": s.outcomes.map { o -> [String: Any] in
                    var d: [String: Any] = [
                        "name": o.probe, "reply": o.reply, "passed": o.passed, "tokens": o.stats?.generatedTokens ?? 0,
                        "checks": o.checks.map { ["check": $0.check.label, "passed": $0.passed, "detail": $0.detail] },
                    ]
                    if let e = o.error { d["error"] = e }
                    return d
                },
            ]
        }
        let doc: [String: Any] = ["suite": report.suite, "seed": report.seed, "all_passed": report.allPassed, "prompts": sections]
        return LabJSON.string(doc)
    }
}

/// JSON output of `llamaterm replay --json`.
public enum ReplayJSON {
    public static func render(originalID: Int64, newID: Int64, prompt: LabPrompt, result: ReplayResult) -> String {
        let users = result.conversation.messages.filter { $0.role == .user }.map(\.content)
        let replies: [[String: Any]] = result.replies.enumerated().map { i, r in
            ["user": i < users.count ? users[i] : "", "reply": r.text, "tokens": r.tokens,
             "tokens_per_second": (r.tokensPerSecond * 100).rounded() / 100]
        }
        return LabJSON.string(["original_id": originalID, "conversation_id": newID, "system": prompt.text,
                               "prompt_name": prompt.name as Any? ?? NSNull(), "replies": replies])
    }
}

enum LabJSON {
    static func string(_ object: Any) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]),
              let s = String(data: data, encoding: .utf8) else { return "{}" }
        return s
    }
}
