package main

import (
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
)

func newTokenCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "token",
		Short: "Manage API tokens: create, list, revoke",
		Long: `token manages the bearer tokens machine clients send as
"Authorization: Bearer <token>". A token acts with its user's role and scope,
is shown once at creation (sceval stores only its SHA-256), expires, and can
be revoked. Users create their own tokens with POST /api/v1/me/tokens.`,
	}
	cmd.AddCommand(newTokenCreateCmd(), newTokenListCmd(), newTokenRevokeCmd())
	return cmd
}

func newTokenCreateCmd() *cobra.Command {
	var af accountFlags
	var username, name string
	var days int
	cmd := &cobra.Command{
		Use:     "create --user USERNAME --name NAME [--expires-days N]",
		Short:   "Create a token for a user (the secret is printed once)",
		Example: `  sceval token create --user loader --name "夜间导入脚本" --expires-days 30`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			svc, ctx, closeDB, err := af.openAccounts(cmd)
			if err != nil {
				return err
			}
			defer closeDB()
			t, secret, err := svc.CreateToken(ctx, username, name, time.Duration(days)*24*time.Hour)
			if err != nil {
				return describeAccountError(err)
			}
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "token %d %q for %s, expires %s\n", t.ID, t.Name, username, t.ExpiresAt.Format("2006-01-02 15:04 MST"))
			fmt.Fprintln(out, secret)
			fmt.Fprintln(out, "(shown only now; send it as Authorization: Bearer <token>)")
			return nil
		},
	}
	af.add(cmd)
	cmd.Flags().StringVar(&username, "user", "", "the user the token acts as")
	cmd.Flags().StringVar(&name, "name", "", "what the token is for")
	cmd.Flags().IntVar(&days, "expires-days", 90, "lifetime in days (at most 365)")
	_ = cmd.MarkFlagRequired("user")
	_ = cmd.MarkFlagRequired("name")
	return cmd
}

func newTokenListCmd() *cobra.Command {
	var af accountFlags
	var username string
	cmd := &cobra.Command{
		Use: "list --user USERNAME", Short: "List a user's tokens (never their secrets)", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			svc, ctx, closeDB, err := af.openAccounts(cmd)
			if err != nil {
				return err
			}
			defer closeDB()
			tokens, err := svc.ListTokens(ctx, username)
			if err != nil {
				return describeAccountError(err)
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tNAME\tCREATED\tEXPIRES\tSTATE")
			for _, t := range tokens {
				state := "active"
				if t.RevokedAt != nil {
					state = "revoked " + t.RevokedAt.Format("2006-01-02")
				} else if time.Now().After(t.ExpiresAt) {
					state = "expired"
				}
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", t.ID, t.Name, t.CreatedAt.Format("2006-01-02"), t.ExpiresAt.Format("2006-01-02"), state)
			}
			return tw.Flush()
		},
	}
	af.add(cmd)
	cmd.Flags().StringVar(&username, "user", "", "whose tokens")
	_ = cmd.MarkFlagRequired("user")
	return cmd
}

func newTokenRevokeCmd() *cobra.Command {
	var af accountFlags
	var username string
	cmd := &cobra.Command{
		Use: "revoke --user USERNAME TOKEN-ID", Short: "Revoke a token at once", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := strconv.ParseInt(strings.TrimSpace(args[0]), 10, 64)
			if err != nil {
				return fmt.Errorf("token id %q: want the number shown by sceval token list", args[0])
			}
			svc, ctx, closeDB, err := af.openAccounts(cmd)
			if err != nil {
				return err
			}
			defer closeDB()
			if err := svc.RevokeToken(ctx, username, id); err != nil {
				return describeAccountError(err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "token %d of %s revoked\n", id, username)
			return nil
		},
	}
	af.add(cmd)
	cmd.Flags().StringVar(&username, "user", "", "whose token")
	_ = cmd.MarkFlagRequired("user")
	return cmd
}
