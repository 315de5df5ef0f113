package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/user"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/platform/sqlstore"
)

// accountFlags are the flags every command that opens the platform's
// database as its operator shares (user, token, import, export, report).
type accountFlags struct {
	db, logFormat, logLevel string
}

func (f *accountFlags) add(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.db, "db", "./sceval.db", "SQLite file or postgres:// URL (falls back to SCEVAL_DB)")
	addLogFlags(cmd.Flags(), &f.logFormat, &f.logLevel)
}

// openAccounts opens and migrates the database and returns the service and
// the operator's context: whoever can open the database is its
// administrator, recorded as "cli:<OS user>".
func (f *accountFlags) openAccounts(cmd *cobra.Command) (*platform.Service, context.Context, func(), error) {
	if err := applyEnv(cmd.Flags(), os.LookupEnv); err != nil {
		return nil, nil, nil, err
	}
	logger, err := newLogger(cmd.ErrOrStderr(), f.logFormat, f.logLevel)
	if err != nil {
		return nil, nil, nil, err
	}
	ctx := cmd.Context()
	store, err := sqlstore.Open(ctx, f.db, logger)
	if err != nil {
		return nil, nil, nil, err
	}
	if err := store.Migrate(ctx); err != nil {
		store.Close()
		return nil, nil, nil, fmt.Errorf("migrate database %s: %w", redactDSN(f.db), err)
	}
	svc := platform.NewService(store, nil, platform.BuiltinFrameworks{}, platform.ServiceOptions{})
	return svc, platform.WithIdentity(ctx, operatorIdentity()), func() { store.Close() }, nil
}

// operatorIdentity is the administrator identity of the CLI.
func operatorIdentity() platform.Identity {
	name := "operator"
	if u, err := user.Current(); err == nil && u.Username != "" {
		name = u.Username
	}
	return platform.Identity{User: "cli:" + name, Roles: []string{string(platform.RoleAdmin)}}
}

func newUserCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "user",
		Short: "Manage accounts: create, list, disable, enable, reset-password, set-role",
		Long: `user manages the accounts of the platform directly in the database (whoever
can open the database is its administrator). Roles: admin, ministry,
province (with --province CODE, the 2-digit province code), pilot (with
--pilot ID), expert. Passwords need at least 10 characters, must differ from
the username and must not be a common password. A password chosen by the
operator must be changed at the first login (--must-change=false to skip,
e.g. for your own first administrator account).`,
	}
	cmd.AddCommand(newUserCreateCmd(), newUserListCmd(), newUserStateCmd("disable", true), newUserStateCmd("enable", false),
		newUserResetCmd(), newUserSetRoleCmd())
	return cmd
}

// roleFlags are --role, --province and --pilot.
type roleFlags struct {
	role, province string
	pilot          int64
}

func (r *roleFlags) add(cmd *cobra.Command) {
	cmd.Flags().StringVar(&r.role, "role", "", "admin, ministry, province, pilot or expert")
	cmd.Flags().StringVar(&r.province, "province", "", "province code (2 digits) of a province account, e.g. 13")
	cmd.Flags().Int64Var(&r.pilot, "pilot", 0, "pilot ID of a pilot account")
	_ = cmd.MarkFlagRequired("role")
}

func newUserCreateCmd() *cobra.Command {
	var af accountFlags
	var rf roleFlags
	var fromStdin, mustChange bool
	cmd := &cobra.Command{
		Use:   "create USERNAME --role ROLE [--province CODE] [--pilot ID] [--password-stdin]",
		Short: "Create an account (a random password is printed once unless --password-stdin)",
		Example: `  sceval user create alice --role admin --must-change=false --password-stdin < alice.pw
  sceval user create hebei --role province --province 13
  sceval user create shijiazhuang --role pilot --pilot 1`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, ctx, closeDB, err := af.openAccounts(cmd)
			if err != nil {
				return err
			}
			defer closeDB()
			password, generated, err := readPassword(cmd.InOrStdin(), fromStdin)
			if err != nil {
				return err
			}
			u, err := svc.CreateUser(ctx, platform.NewUser{Username: args[0], Role: platform.Role(rf.role), Province: rf.province,
				PilotID: rf.pilot, Password: password, MustChangePassword: mustChange})
			if err != nil {
				return describeAccountError(err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "created user %s (id %d, role %s%s)\n", u.Username, u.ID, u.Role, binding(u))
			printPassword(cmd.OutOrStdout(), generated, password, mustChange)
			return nil
		},
	}
	af.add(cmd)
	rf.add(cmd)
	cmd.Flags().BoolVar(&fromStdin, "password-stdin", false, "read the password from the first line of standard input")
	cmd.Flags().BoolVar(&mustChange, "must-change", true, "require a password change at the first login")
	return cmd
}

func newUserListCmd() *cobra.Command {
	var af accountFlags
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the accounts",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			svc, ctx, closeDB, err := af.openAccounts(cmd)
			if err != nil {
				return err
			}
			defer closeDB()
			users, err := svc.ListUsers(ctx)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tUSERNAME\tROLE\tBOUND TO\tSTATE\tCREATED")
			for _, u := range users {
				state := "active"
				if u.Disabled {
					state = "disabled"
				} else if u.MustChangePassword {
					state = "must change password"
				}
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", u.ID, u.Username, u.Role, strings.TrimPrefix(binding(u), ", "),
					state, u.CreatedAt.Format("2006-01-02 15:04"))
			}
			if len(users) == 0 {
				fmt.Fprintln(cmd.OutOrStdout(), "no accounts yet: create the first administrator with sceval user create NAME --role admin")
				return nil
			}
			return tw.Flush()
		},
	}
	af.add(cmd)
	return cmd
}

func newUserStateCmd(verb string, disabled bool) *cobra.Command {
	var af accountFlags
	short := "Disable an account (its sessions end, its tokens stop working)"
	if !disabled {
		short = "Enable a disabled account"
	}
	cmd := &cobra.Command{
		Use: verb + " USERNAME", Short: short, Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, ctx, closeDB, err := af.openAccounts(cmd)
			if err != nil {
				return err
			}
			defer closeDB()
			if _, err := svc.SetUserDisabled(ctx, args[0], disabled); err != nil {
				return describeAccountError(err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "user %s %sd\n", args[0], verb)
			return nil
		},
	}
	af.add(cmd)
	return cmd
}

func newUserResetCmd() *cobra.Command {
	var af accountFlags
	var fromStdin bool
	cmd := &cobra.Command{
		Use:   "reset-password USERNAME [--password-stdin]",
		Short: "Set a new password (printed once unless --password-stdin); the user must change it at the next login",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, ctx, closeDB, err := af.openAccounts(cmd)
			if err != nil {
				return err
			}
			defer closeDB()
			password, generated, err := readPassword(cmd.InOrStdin(), fromStdin)
			if err != nil {
				return err
			}
			if _, err := svc.ResetPassword(ctx, args[0], password); err != nil {
				return describeAccountError(err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "password of %s reset; its sessions have ended\n", args[0])
			printPassword(cmd.OutOrStdout(), generated, password, true)
			return nil
		},
	}
	af.add(cmd)
	cmd.Flags().BoolVar(&fromStdin, "password-stdin", false, "read the password from the first line of standard input")
	return cmd
}

func newUserSetRoleCmd() *cobra.Command {
	var af accountFlags
	var rf roleFlags
	cmd := &cobra.Command{
		Use:   "set-role USERNAME --role ROLE [--province CODE] [--pilot ID]",
		Short: "Change an account's role and binding (its sessions end)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, ctx, closeDB, err := af.openAccounts(cmd)
			if err != nil {
				return err
			}
			defer closeDB()
			u, err := svc.SetRole(ctx, args[0], platform.Role(rf.role), rf.province, rf.pilot)
			if err != nil {
				return describeAccountError(err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "user %s is now %s%s\n", u.Username, u.Role, binding(u))
			return nil
		},
	}
	af.add(cmd)
	rf.add(cmd)
	return cmd
}

// readPassword reads the first line of in, or generates a password.
func readPassword(in io.Reader, fromStdin bool) (password string, generated bool, err error) {
	if !fromStdin {
		return platform.RandomPassword(), true, nil
	}
	line, err := bufio.NewReader(in).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", false, fmt.Errorf("read password from standard input: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", false, fmt.Errorf("--password-stdin: standard input has no password on its first line")
	}
	return line, false, nil
}

// printPassword shows a generated password once.
func printPassword(out io.Writer, generated bool, password string, mustChange bool) {
	if !generated {
		return
	}
	fmt.Fprintf(out, "password: %s\n(shown only now; sceval stores only its argon2id hash", password)
	if mustChange {
		fmt.Fprint(out, "; it must be changed at the first login")
	}
	fmt.Fprintln(out, ")")
}

// binding describes what an account is bound to.
func binding(u platform.User) string {
	switch {
	case u.Province != "":
		return ", province " + u.Province
	case u.PilotID != 0:
		return fmt.Sprintf(", pilot %d", u.PilotID)
	}
	return ""
}

// describeAccountError names the field of a refused account change.
func describeAccountError(err error) error {
	var pe *platform.Error
	if e, ok := err.(*platform.Error); ok {
		pe = e
	}
	if pe != nil && pe.Field != "" {
		return fmt.Errorf("%s: %s", pe.Field, pe.Message)
	}
	return err
}
