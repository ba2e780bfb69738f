-- Word search on very common words ("fracture of"): FTS5 answers a word prefix by merging the
-- document lists of every word that starts with it, and a one- to three-letter prefix ("o", "of",
-- "sev") matches so many words that the merge dominated the search (bench/RESULTS.md, measure 7).
-- Prefix indexes of one, two and three characters answer those prefixes from a single list; longer
-- prefixes match few words and stay on the main index. Same tokenizer and content as 0008, rebuilt
-- from the icd10cm table (the descriptions are not stored twice).
DROP TABLE IF EXISTS icd10cm_fts;
CREATE VIRTUAL TABLE icd10cm_fts USING fts5(description, content='icd10cm', content_rowid='id', detail='none', tokenize='unicode61 remove_diacritics 2', prefix='1 2 3');
INSERT INTO icd10cm_fts (icd10cm_fts) VALUES ('rebuild');
