-- How a quiz or scenario poll's votes stood at its recap, for the weekly digest (as SQLite's
-- 0007): everyone who voted, and those who picked the answer the articles support.
ALTER TABLE polls ADD COLUMN votes BIGINT;
ALTER TABLE polls ADD COLUMN supported_votes BIGINT;
