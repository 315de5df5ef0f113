-- Storing a national run faster on PostgreSQL (issue 10, item 10).
-- result_pilots had two foreign keys, so storing a run of 41,352 pilots
-- fired 82,704 constraint triggers (one lookup and row lock each in pilots
-- and result_runs): most of the time of the COPY. Its rows are written only
-- by ReplaceResults, from the accepted submissions of the run it stores in
-- the same transaction, and deleted with that run, so the keys checked
-- nothing that can go wrong. SQLite keeps them (its checks are cheap).
{{POSTGRES}}ALTER TABLE result_pilots DROP CONSTRAINT IF EXISTS result_pilots_cycle_id_fkey;
{{POSTGRES}}ALTER TABLE result_pilots DROP CONSTRAINT IF EXISTS result_pilots_pilot_id_fkey;
