-- How a quiz or scenario poll's votes stood at its recap, for the weekly digest: everyone who
-- voted, and those who picked the answer the articles support. NULL for polls recapped before
-- this, and for polls with no supported answer.
ALTER TABLE polls ADD COLUMN votes INTEGER;
ALTER TABLE polls ADD COLUMN supported_votes INTEGER;
