package ui_test

import (
	"strings"
	"testing"

	"github.com/sceval/sceval/platform"
)

// An expert may not list pilots (blind reviews must not learn who they
// are): the overview leaves the pilot counts out instead of failing.
func TestOverviewForAnExpert(t *testing.T) {
	e := newEnv(t, true)
	if _, err := e.svc.CreateUser(e.ctx, platform.NewUser{Username: "ui-expert", Role: platform.RoleExpert,
		Password: "correct horse battery"}); err != nil {
		t.Fatal(err)
	}
	_, secret, err := e.svc.CreateToken(e.ctx, "ui-expert", "ui", 0)
	if err != nil {
		t.Fatal(err)
	}
	expert := e.anonymous()
	expert.auth = "Bearer " + secret
	p := expert.get("/").html(200).has("概览")
	if strings.Contains(p.body, `id="pilots"`) {
		t.Error("the expert's overview counts the pilots")
	}
	e.get("/").html(200).has(`id="pilots"`)
}
