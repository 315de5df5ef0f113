package ui_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/sceval/sceval/platform"
)

func TestLoginPageInBothLanguages(t *testing.T) {
	e := newEnv(t, false)
	b := e.browser()
	b.get("/login").html(200).has(`<form method="post" action="/login"`, "用户名", "密码", `name="username"`).lacks("<script>", "style=")
	b.get("/login?lang=en").html(200).has("Username", "Password", "Log in")
}

func TestLoginSucceedsAndGoesToTheRoleStartPage(t *testing.T) {
	e := newEnv(t, false)
	b := e.browser()
	b.login("ui-admin", testPassword).redirects("/admin")
	b.get("/admin").html(200).has("用户与角色", "评价周期", "审计日志", `action="/logout"`, "ui-admin")

	e.newAccount(platform.NewUser{Username: "mina", Role: platform.RoleMinistry, Password: testPassword})
	m := e.browser()
	res := m.login("mina", testPassword)
	if res.status != http.StatusSeeOther || res.header.Get("Location") == "/login" {
		t.Fatalf("ministry login: %d %s", res.status, res.header.Get("Location"))
	}
	m.get("/admin").html(200).has("评价周期", "审计日志").lacks(`href="/admin/users"`)
}

func TestLoginRefusesBadPasswordWithTheServiceMessage(t *testing.T) {
	e := newEnv(t, false)
	b := e.browser()
	b.login("ui-admin", "wrong password!").html(http.StatusUnauthorized).
		has("用户名或密码错误", `value="ui-admin"`).lacks("wrong password!")
	b.get("/admin").redirects("/login?next=%2Fadmin")
	b.post("/login?lang=en", "username", "ui-admin", "password", "nope nope nope").html(http.StatusUnauthorized).has("Invalid username or password.")
}

func TestLoginThrottlingSaysWhenToRetry(t *testing.T) {
	e := newEnv(t, false)
	b := e.browser()
	for range 6 {
		b.login("ui-admin", "wrong password!")
	}
	p := b.login("ui-admin", testPassword).html(http.StatusTooManyRequests)
	p.has("登录失败次数过多，请在 1 秒后重试。")
	b.post("/login?lang=en", "username", "ui-admin", "password", testPassword).html(http.StatusTooManyRequests).
		has("Too many failed logins: try again in")
}

func TestLoginNextIsHonouredOnlyForLocalPaths(t *testing.T) {
	e := newEnv(t, false)
	for next, want := range map[string]string{
		"/admin/audit?actor=x":   "/admin/audit?actor=x",
		"//evil.example/x":       "/admin",
		"https://evil.example/":  "/admin",
		`/\evil.example`:         "/admin",
		"javascript:alert(1)":    "/admin",
		"/ok\r\nSet-Cookie: x=1": "/admin",
	} {
		e.browser().login("ui-admin", testPassword, next).redirects(want)
	}
	// The form carries ?next= through.
	e.browser().get("/login?next=/admin/cycles").html(200).has(`name="next" value="/admin/cycles"`)
	e.browser().get("/login?next=//evil.example").html(200).lacks(`name="next"`)
}

func TestMustChangePasswordFlow(t *testing.T) {
	e := newEnv(t, false)
	e.newAccount(platform.NewUser{Username: "newbie", Role: platform.RoleMinistry, Password: "initial pass 123", MustChangePassword: true})
	b := e.browser()
	b.login("newbie", "initial pass 123", "/admin/audit").redirects("/account/password")
	b.get("/").redirects("/account/password")
	b.get("/account/password").html(200).has("请先修改密码")
	b.post("/account/password", "current_password", "initial pass 123", "password", "short", "password2", "short").
		html(http.StatusUnprocessableEntity).fieldError("password", "密码至少需要 10 个字符")
	b.post("/account/password?lang=en", "current_password", "initial pass 123", "password", "short", "password2", "short").
		html(http.StatusUnprocessableEntity).fieldError("password", "The password is too weak: At least 10 characters")
	b.post("/account/password?lang=zh", "current_password", "not it at all", "password", "a much better one", "password2", "a much better one").
		html(http.StatusUnprocessableEntity).fieldError("current_password", "当前密码不正确")
	b.post("/account/password", "current_password", "initial pass 123", "password", "a much better one", "password2", "a much better 1").
		html(http.StatusUnprocessableEntity).fieldError("password2", "两次输入的新密码不一致")
	res := b.post("/account/password", "current_password", "initial pass 123", "password", "a much better one", "password2", "a much better one")
	if res.status != http.StatusSeeOther || strings.HasPrefix(res.header.Get("Location"), "/account/password") {
		t.Fatalf("change: %d %s", res.status, res.header.Get("Location"))
	}
	b.get("/admin").html(200) // logged in again with the new password, no longer forced
	if again := e.browser().login("newbie", "a much better one"); again.status != http.StatusSeeOther || again.header.Get("Location") == "/account/password" {
		t.Errorf("login with the new password: %d %s", again.status, again.header.Get("Location"))
	}
}

func TestLogoutEndsTheSession(t *testing.T) {
	e := newEnv(t, false)
	b := e.browser()
	b.login("ui-admin", testPassword).redirects("/admin")
	b.post("/logout").redirects("/")
	b.get("/account/tokens").redirects("/login?next=%2Faccount%2Ftokens")
	b.get("/").html(200).has(`href="/login"`).lacks(`action="/logout"`)
}
