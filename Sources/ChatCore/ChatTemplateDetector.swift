/// Recognises a GGUF `tokenizer.chat_template` by its distinctive markers (no Jinja engine needed).
public enum ChatTemplateDetector {
    /// The prompt format name for a Jinja chat template, or nil when it is not recognised.
    public static func detect(_ template: String) -> String? {
        if template.contains("<|im_start|>") { return "chatml" }
        if template.contains("<|start_header_id|>") { return "llama3" }
        if template.contains("<|user|>") && template.contains("<|assistant|>") { return "zephyr" }
        if template.contains("[INST]") {
            return template.contains("<<SYS>>") ? "llama2" : "mistral"
        }
        return nil
    }
}
