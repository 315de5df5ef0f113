// Package platform is the assessment platform's domain: pilots, evaluation
// cycles, submissions with their entries and evidence, and computed results.
// It holds the domain types, the errors callers branch on, the business rules
// (state machines, optimistic concurrency, validation against the cycle's
// framework) and the Service that applies them.
//
// The package does no I/O of its own: storage is behind the Store interface
// (implemented by platform/sqlstore for SQLite and PostgreSQL), evidence files
// behind BlobStore (platform/blob) and frameworks behind FrameworkSource.
//
// Rules worth knowing:
//
//   - Cycles move draft → open → closed → published, and closed → open
//     (reopen). The framework (id and version) is frozen once a cycle leaves
//     draft; the scheme and star thresholds stay editable until it is
//     published; a published cycle is read-only.
//   - Submissions move draft → submitted → returned | accepted and
//     returned → submitted. Returning needs a reason. Entries are editable
//     only in draft and returned, and only while the cycle is open; so is
//     submitting. An incomplete submission may be submitted: its
//     completeness (complete leaves / all leaves) is recorded and shown, and
//     reviewers decide.
//   - An entry is complete when it carries the number the engine scores:
//     the rubric level for rubric leaves, the value otherwise. A level is
//     also accepted on other leaves that list rubric levels (kept as the
//     submitter's self-assessment, not scored).
//   - Saving an entry does not change the submission's version (entries have
//     their own versions), so a client may save entries and then submit with
//     the submission version it read.
//   - Accepting a submission stores a snapshot of its engine inputs (one
//     float64 per leaf of the frozen framework); ComputeResults scores the
//     snapshots of the cycle's accepted submissions.
//
// Additions to the platform contract (all source-compatible):
//
//   - Store is defined in store.go; results reach it as a columnar ResultSet
//     (not as ResultRows), entry saves as EntryWrite, transitions as
//     SubmissionTransition, bulk loads as SubmissionImport.
//   - ResultRow.Code of the root is the framework ID (as engine.Result names
//     it); ResultFilter.Code "" means the root, or every node of
//     ResultFilter.Level when Level > 0.
//   - ResultRun.Warnings carries the engine's warnings.
//   - Service.LoadSubmissions is the bulk path (imports, demo, benchmarks).
//   - Errorf, NotFoundf, StaleVersion and ErrorCodeOf build and inspect
//     *Error; the Code* constants list the machine codes.
//   - SniffEvidence and SanitizeFilename are the pure evidence checks.
//   - sqlstore adds SchemaVersion, KnownSchemaVersion, Backup (SQLite),
//     WriterStats and Dialect.
package platform
