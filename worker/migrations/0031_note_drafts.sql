-- A progress note that cannot be confirmed yet (billing info missing, session not over), kept on
-- the server so closing the popup loses nothing: encrypted like notes (NOTES_KEY, AES-GCM, the
-- associated data `draft:<appointment id>`), one per session, deleted when the session is
-- confirmed or cancelled.
CREATE TABLE note_drafts (
  appointment_id TEXT PRIMARY KEY REFERENCES appointments (id),
  provider_id TEXT NOT NULL REFERENCES providers (id),
  text TEXT NOT NULL,                -- ciphertext
  saved_at TEXT NOT NULL
);
