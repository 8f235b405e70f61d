import GRDB

/// The schema, as append-only named migrations. Never edit or reorder a registered migration:
/// add a new one. A database holding identifiers this list does not know was written by a newer
/// llamaterm and is refused (see `SQLiteConversationStore.init`).
enum StorageMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-conversations-messages-prompts", migrate: createTables)
        migrator.registerMigration("v1-full-text-search", migrate: createFullTextSearch)
        migrator.registerMigration("v2-unsegmented-message-list", migrate: createUnsegmentedList)
        return migrator
    }

    /// Identifiers of every migration this build knows.
    static var knownIdentifiers: [String] { migrator.migrations }

    private static func createTables(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE conversation (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                title TEXT NOT NULL DEFAULT '',
                title_is_custom INTEGER NOT NULL DEFAULT 0,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                system_prompt TEXT,
                system_prompt_name TEXT,
                options_json TEXT,
                model_file TEXT,
                prompt_format TEXT,
                parent_conversation_id INTEGER REFERENCES conversation(id) ON DELETE SET NULL,
                parent_message_id INTEGER REFERENCES message(id) ON DELETE SET NULL,
                pinned INTEGER NOT NULL DEFAULT 0,
                archived INTEGER NOT NULL DEFAULT 0
            );
            CREATE INDEX conversation_recent ON conversation(archived, updated_at DESC, id DESC);
            CREATE INDEX conversation_pinned_recent
                ON conversation(archived, pinned DESC, updated_at DESC, id DESC);
            CREATE INDEX conversation_parent ON conversation(parent_conversation_id);
            CREATE INDEX conversation_parent_message ON conversation(parent_message_id);

            CREATE TABLE message (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                conversation_id INTEGER NOT NULL REFERENCES conversation(id) ON DELETE CASCADE,
                position INTEGER NOT NULL,
                role TEXT NOT NULL CHECK (role IN ('system', 'user', 'assistant')),
                content TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                token_count INTEGER,
                status TEXT NOT NULL DEFAULT 'complete'
                    CHECK (status IN ('complete', 'partial', 'cancelled', 'error')),
                error_message TEXT,
                model_file TEXT,
                model_size INTEGER,
                prompt_format TEXT,
                options_json TEXT,
                seed INTEGER,
                system_prompt_hash TEXT,
                prompt_tokens INTEGER,
                prefill_tokens INTEGER,
                prefill_seconds REAL,
                decode_tokens INTEGER,
                decode_seconds REAL,
                UNIQUE (conversation_id, position)
            );

            CREATE TABLE system_prompt (
                name TEXT PRIMARY KEY NOT NULL,
                text TEXT NOT NULL,
                origin TEXT NOT NULL CHECK (origin IN ('builtin', 'user')),
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL
            );
            """)
    }

    /// Full-text search, two FTS5 indexes per text (external content: the text itself lives once,
    /// in `message` / `conversation`; triggers keep the indexes in sync):
    /// - `message_words` / `conversation_words`: words (`unicode61`, case and accents folded),
    ///   ranked with bm25; the index for every script that separates words with spaces;
    /// - `message_cjk`: trigrams (any substring of 3+ characters) of the messages that contain
    ///   Chinese, Japanese, Korean, Thai, Lao, Khmer or Myanmar text, where word tokenizers see a
    ///   whole sentence as one word. Only those messages, so the large trigram index stays small.
    /// The GLOB pattern is `UnsegmentedScripts.globPattern` at the time of writing (frozen here).
    private static func createFullTextSearch(_ db: Database) throws {
        let unsegmented = "'*[\u{0E00}-\u{0EFF}\u{1000}-\u{109F}\u{1780}-\u{17FF}\u{2E80}-\u{2FDF}\u{3040}-\u{30FF}\u{3100}-\u{318F}\u{31F0}-\u{31FF}\u{3400}-\u{4DBF}\u{4E00}-\u{9FFF}\u{AC00}-\u{D7AF}\u{F900}-\u{FAFF}\u{20000}-\u{2FFFF}]*'"
        try db.execute(sql: """
            CREATE VIRTUAL TABLE message_words USING fts5(
                content, content='message', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
            CREATE TRIGGER message_words_insert AFTER INSERT ON message BEGIN
                INSERT INTO message_words(rowid, content) VALUES (new.id, new.content);
            END;
            CREATE TRIGGER message_words_delete AFTER DELETE ON message BEGIN
                INSERT INTO message_words(message_words, rowid, content) VALUES ('delete', old.id, old.content);
            END;
            CREATE TRIGGER message_words_update AFTER UPDATE OF content ON message BEGIN
                INSERT INTO message_words(message_words, rowid, content) VALUES ('delete', old.id, old.content);
                INSERT INTO message_words(rowid, content) VALUES (new.id, new.content);
            END;

            CREATE VIRTUAL TABLE message_cjk USING fts5(
                content, content='message', content_rowid='id', tokenize='trigram');
            CREATE TRIGGER message_cjk_insert AFTER INSERT ON message WHEN new.content GLOB \(unsegmented) BEGIN
                INSERT INTO message_cjk(rowid, content) VALUES (new.id, new.content);
            END;
            CREATE TRIGGER message_cjk_delete AFTER DELETE ON message WHEN old.content GLOB \(unsegmented) BEGIN
                INSERT INTO message_cjk(message_cjk, rowid, content) VALUES ('delete', old.id, old.content);
            END;
            CREATE TRIGGER message_cjk_update AFTER UPDATE OF content ON message BEGIN
                INSERT INTO message_cjk(message_cjk, rowid, content)
                    SELECT 'delete', old.id, old.content WHERE old.content GLOB \(unsegmented);
                INSERT INTO message_cjk(rowid, content)
                    SELECT new.id, new.content WHERE new.content GLOB \(unsegmented);
            END;

            CREATE VIRTUAL TABLE conversation_words USING fts5(
                title, content='conversation', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
            CREATE TRIGGER conversation_words_insert AFTER INSERT ON conversation BEGIN
                INSERT INTO conversation_words(rowid, title) VALUES (new.id, new.title);
            END;
            CREATE TRIGGER conversation_words_delete AFTER DELETE ON conversation BEGIN
                INSERT INTO conversation_words(conversation_words, rowid, title) VALUES ('delete', old.id, old.title);
            END;
            CREATE TRIGGER conversation_words_update AFTER UPDATE OF title ON conversation BEGIN
                INSERT INTO conversation_words(conversation_words, rowid, title) VALUES ('delete', old.id, old.title);
                INSERT INTO conversation_words(rowid, title) VALUES (new.id, new.title);
            END;
            """)
    }

    /// `message_unsegmented`: the ids of the messages holding CJK/Thai... text (the ones in
    /// `message_cjk`), so a search for a one- or two-character CJK word, which no index can
    /// answer, scans only those messages instead of all of them.
    private static func createUnsegmentedList(_ db: Database) throws {
        let unsegmented = "'*[\u{0E00}-\u{0EFF}\u{1000}-\u{109F}\u{1780}-\u{17FF}\u{2E80}-\u{2FDF}\u{3040}-\u{30FF}\u{3100}-\u{318F}\u{31F0}-\u{31FF}\u{3400}-\u{4DBF}\u{4E00}-\u{9FFF}\u{AC00}-\u{D7AF}\u{F900}-\u{FAFF}\u{20000}-\u{2FFFF}]*'"
        try db.execute(sql: """
            CREATE TABLE message_unsegmented (id INTEGER PRIMARY KEY);
            INSERT INTO message_unsegmented (id) SELECT id FROM message WHERE content GLOB \(unsegmented);
            CREATE TRIGGER message_unsegmented_insert AFTER INSERT ON message WHEN new.content GLOB \(unsegmented) BEGIN
                INSERT OR IGNORE INTO message_unsegmented (id) VALUES (new.id);
            END;
            CREATE TRIGGER message_unsegmented_delete AFTER DELETE ON message BEGIN
                DELETE FROM message_unsegmented WHERE id = old.id;
            END;
            CREATE TRIGGER message_unsegmented_update AFTER UPDATE OF content ON message BEGIN
                DELETE FROM message_unsegmented WHERE id = old.id;
                INSERT OR IGNORE INTO message_unsegmented (id) SELECT new.id WHERE new.content GLOB \(unsegmented);
            END;
            """)
    }
}
