import GRDB

/// The schema, as append-only named migrations. Never edit or reorder a registered migration:
/// add a new one. A database holding identifiers this list does not know was written by a newer
/// llamaterm and is refused (see `SQLiteConversationStore.init`).
enum StorageMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-conversations-messages-prompts", migrate: createTables)
        migrator.registerMigration("v1-full-text-search", migrate: createFullTextSearch)
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

    /// FTS5 indexes over message contents and conversation titles, with the `trigram` tokenizer:
    /// case-insensitive substring matching that works for any script (CJK has no spaces between
    /// words, so word tokenizers cannot find a word inside a sentence). External content: the
    /// text lives once, in `message` / `conversation`; triggers keep the indexes in sync.
    private static func createFullTextSearch(_ db: Database) throws {
        try db.execute(sql: """
            CREATE VIRTUAL TABLE message_fts USING fts5(
                content, content='message', content_rowid='id', tokenize='trigram');
            CREATE TRIGGER message_fts_insert AFTER INSERT ON message BEGIN
                INSERT INTO message_fts(rowid, content) VALUES (new.id, new.content);
            END;
            CREATE TRIGGER message_fts_delete AFTER DELETE ON message BEGIN
                INSERT INTO message_fts(message_fts, rowid, content) VALUES ('delete', old.id, old.content);
            END;
            CREATE TRIGGER message_fts_update AFTER UPDATE OF content ON message BEGIN
                INSERT INTO message_fts(message_fts, rowid, content) VALUES ('delete', old.id, old.content);
                INSERT INTO message_fts(rowid, content) VALUES (new.id, new.content);
            END;

            CREATE VIRTUAL TABLE conversation_fts USING fts5(
                title, content='conversation', content_rowid='id', tokenize='trigram');
            CREATE TRIGGER conversation_fts_insert AFTER INSERT ON conversation BEGIN
                INSERT INTO conversation_fts(rowid, title) VALUES (new.id, new.title);
            END;
            CREATE TRIGGER conversation_fts_delete AFTER DELETE ON conversation BEGIN
                INSERT INTO conversation_fts(conversation_fts, rowid, title) VALUES ('delete', old.id, old.title);
            END;
            CREATE TRIGGER conversation_fts_update AFTER UPDATE OF title ON conversation BEGIN
                INSERT INTO conversation_fts(conversation_fts, rowid, title) VALUES ('delete', old.id, old.title);
                INSERT INTO conversation_fts(rowid, title) VALUES (new.id, new.title);
            END;
            """)
    }
}
