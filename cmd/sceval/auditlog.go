package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/platform/sqlstore"
	"github.com/sceval/sceval/termtable"
	"github.com/sceval/sceval/web"
)

// auditLogFlags are the flags every audit-log subcommand shares.
type auditLogFlags struct {
	db, object, user, from, to string
	logFormat, logLevel        string
}

func (f *auditLogFlags) register(fs *pflag.FlagSet, filters bool) {
	fs.StringVar(&f.db, "db", "./sceval.db", "SQLite file or postgres:// URL")
	addLogFlags(fs, &f.logFormat, &f.logLevel)
	if filters {
		fs.StringVar(&f.object, "object", "", "an object and what lies under it, e.g. submission/12")
		fs.StringVar(&f.user, "user", "", "the actor")
		fs.StringVar(&f.from, "from", "", "from this time, inclusive (RFC 3339 or YYYY-MM-DD)")
		fs.StringVar(&f.to, "to", "", "up to this time, exclusive (RFC 3339 or YYYY-MM-DD)")
	}
}

// filter parses the filter flags.
func (f *auditLogFlags) filter() (platform.AuditFilter, error) {
	af := platform.AuditFilter{Object: f.object, Actor: f.user}
	var err error
	if af.From, err = parseAuditTime("--from", f.from); err != nil {
		return af, err
	}
	af.To, err = parseAuditTime("--to", f.to)
	return af, err
}

// parseAuditTime accepts RFC 3339 or a date (midnight UTC); "" is no bound.
func parseAuditTime(flag, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("%s %q: want RFC 3339 (2024-05-01T08:00:00Z) or a date (2024-05-01)", flag, s)
}

// openAuditStore opens the database, which must be migrated already: the
// audit tools only read.
func (f *auditLogFlags) open(cmd *cobra.Command) (*sqlstore.Store, error) {
	if err := applyEnv(cmd.Flags(), os.LookupEnv); err != nil {
		return nil, err
	}
	logger, err := newLogger(cmd.ErrOrStderr(), f.logFormat, f.logLevel)
	if err != nil {
		return nil, err
	}
	ctx := cmd.Context()
	store, err := sqlstore.Open(ctx, f.db, logger)
	if err != nil {
		return nil, err
	}
	v, err := store.SchemaVersion(ctx)
	if err == nil && v < sqlstore.KnownSchemaVersion() {
		err = fmt.Errorf("database %s has schema version %d, this sceval needs %d: run sceval migrate first", redactDSN(f.db), v, sqlstore.KnownSchemaVersion())
	}
	if err != nil {
		store.Close()
		return nil, err
	}
	return store, nil
}

func newAuditLogCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "audit-log",
		Short: "Verify, list and export the tamper-evident audit trail",
		Long: `Every change sceval stores (pilots, cycles, submissions, entries, evidence,
results, experts, assignments, reviews) is appended to an audit trail in the same
transaction: who, when, from which address, the action, the object, and its
values before and after. Each row's SHA-256 covers the previous row's hash, so an
edited or deleted row breaks the chain. --db falls back to SCEVAL_DB.`,
	}
	cmd.AddCommand(newAuditLogVerifyCmd(), newAuditLogListCmd(), newAuditLogExportCmd())
	return cmd
}

func newAuditLogVerifyCmd() *cobra.Command {
	var f auditLogFlags
	cmd := &cobra.Command{
		Use:     "verify",
		Short:   "Check the hash chain; name the first broken row (exit status 1)",
		Example: `  sceval audit-log verify --db sceval.db`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			store, err := f.open(cmd)
			if err != nil {
				return err
			}
			defer store.Close()
			v, err := platform.VerifyAuditChain(cmd.Context(), store)
			if err != nil {
				return err
			}
			if !v.OK {
				return exitError{code: 1, msg: fmt.Sprintf("audit trail broken: %s (%d rows checked)", v.Problem, v.Rows)}
			}
			fmt.Fprintf(cmd.OutOrStdout(), "audit trail intact: %d rows in %d chains, head digest %s\n", v.Rows, len(v.Heads), v.HeadDigest)
			return nil
		},
	}
	f.register(cmd.Flags(), false)
	return cmd
}

func newAuditLogListCmd() *cobra.Command {
	var f auditLogFlags
	var limit, offset int
	var format string
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List audit rows filtered by object, user and time (oldest first)",
		Example: `  sceval audit-log list --object submission/12
  sceval audit-log list --user 审核员 --from 2024-05-01 --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			af, err := f.filter()
			if err != nil {
				return err
			}
			if format != "table" && format != "json" {
				return fmt.Errorf("--format %q: want table or json", format)
			}
			store, err := f.open(cmd)
			if err != nil {
				return err
			}
			defer store.Close()
			af.Limit, af.Offset = limit, offset
			rows, total, err := listAudit(cmd.Context(), store, af)
			if err != nil {
				return err
			}
			if format == "json" {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(map[string]any{"items": rows, "total": total})
			}
			return writeAuditLogTable(cmd.OutOrStdout(), rows, total, af.Offset)
		},
	}
	f.register(cmd.Flags(), true)
	cmd.Flags().IntVar(&limit, "limit", 50, "rows to show (at most 1000)")
	cmd.Flags().IntVar(&offset, "offset", 0, "rows to skip")
	cmd.Flags().StringVar(&format, "format", "table", "table or json")
	return cmd
}

// listAudit runs the service's list as the operator (the CLI acts locally).
func listAudit(ctx context.Context, store *sqlstore.Store, f platform.AuditFilter) ([]platform.AuditRecord, int, error) {
	svc := platform.NewService(store, nil, platform.BuiltinFrameworks{}, platform.ServiceOptions{})
	return svc.ListAudit(operatorContext(ctx), f)
}

// operatorContext is the identity of a local operator's CLI call.
func operatorContext(ctx context.Context) context.Context {
	return platform.WithIdentity(ctx, operatorIdentity())
}

// writeAuditLogTable prints rows as an aligned table.
func writeAuditLogTable(w io.Writer, rows []platform.AuditRecord, total, offset int) error {
	if total == 0 {
		_, err := fmt.Fprintln(w, "no audit rows match")
		return err
	}
	table := termtable.Table{Header: []string{"ID", "AT (UTC)", "ACTOR", "ADDRESS", "ACTION", "OBJECT"}, NoRule: true}
	for _, r := range rows {
		table.Rows = append(table.Rows, []string{fmt.Sprint(r.ID), r.At.UTC().Format("2006-01-02 15:04:05"), r.Actor, r.Address, r.Action, r.Object})
	}
	var b strings.Builder
	table.WriteTo(&b) // a strings.Builder does not fail
	fmt.Fprintf(&b, "rows %d–%d of %d\n", offset+1, offset+len(rows), total)
	_, err := io.WriteString(w, b.String())
	return err
}

func newAuditLogExportCmd() *cobra.Command {
	var f auditLogFlags
	var format, output string
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Export audit rows (filtered) as JSON lines or CSV, with their hashes",
		Example: `  sceval audit-log export --format csv --output audit.csv
  sceval audit-log export --object cycle/3 --from 2024-01-01 --to 2025-01-01`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			af, err := f.filter()
			if err != nil {
				return err
			}
			if format != "jsonl" && format != "csv" {
				return fmt.Errorf("--format %q: want jsonl or csv", format)
			}
			store, err := f.open(cmd)
			if err != nil {
				return err
			}
			defer store.Close()
			w := cmd.OutOrStdout()
			if output != "" && output != "-" {
				file, err := os.Create(output)
				if err != nil {
					return fmt.Errorf("export audit trail: %w", err)
				}
				defer file.Close()
				w = file
			}
			n, err := exportAudit(cmd.Context(), store, af, format, w)
			if err != nil {
				return err
			}
			if output != "" && output != "-" {
				fmt.Fprintf(cmd.OutOrStdout(), "%d audit rows written to %s\n", n, output)
			}
			return nil
		},
	}
	f.register(cmd.Flags(), true)
	cmd.Flags().StringVar(&format, "format", "jsonl", "jsonl or csv")
	cmd.Flags().StringVarP(&output, "output", "o", "", "file to write (default standard output)")
	return cmd
}

// exportAudit streams the matching rows to w and returns how many.
func exportAudit(ctx context.Context, store *sqlstore.Store, f platform.AuditFilter, format string, w io.Writer) (int, error) {
	svc := platform.NewService(store, nil, platform.BuiltinFrameworks{}, platform.ServiceOptions{})
	n := 0
	var write func(platform.AuditRecord) error
	if format == "csv" {
		cw := csv.NewWriter(w)
		defer cw.Flush()
		if err := cw.Write(web.AuditCSVHeader); err != nil {
			return 0, err
		}
		write = func(r platform.AuditRecord) error { n++; return cw.Write(web.AuditCSVRow(r)) }
	} else {
		enc := json.NewEncoder(w)
		write = func(r platform.AuditRecord) error { n++; return enc.Encode(r) }
	}
	if err := svc.ExportAudit(operatorContext(ctx), f, write); err != nil {
		return n, fmt.Errorf("export audit trail: %w", err)
	}
	return n, nil
}
