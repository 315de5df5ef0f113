-- Who saved each entry last (issue 12): the data-entry form shows a
-- version conflict as "changed by X at T", so a pilot knows whose change
-- it is before keeping its own or taking the other. Entries saved before
-- this migration have no recorded author ('').

ALTER TABLE entries ADD COLUMN updated_by TEXT NOT NULL DEFAULT '';
