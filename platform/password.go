package platform

import (
	"bufio"
	"crypto/rand"
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// PasswordParams are the argon2id parameters of a password hash. They are
// stored with every hash (PHC string format), so raising them later keeps
// old hashes verifiable.
type PasswordParams struct {
	// Memory in KiB, Time (iterations), Threads (parallelism).
	Memory  uint32
	Time    uint32
	Threads uint8
	// SaltLen and KeyLen in bytes.
	SaltLen, KeyLen uint32
}

// DefaultPasswordParams are the OWASP Password Storage Cheat Sheet's first
// argon2id configuration: m=19456 KiB (19 MiB), t=2, p=1, with a 16-byte
// salt and a 32-byte key
// (https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html#argon2id).
var DefaultPasswordParams = PasswordParams{Memory: 19 * 1024, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}

// MinPasswordLength is the password policy's minimum length in characters.
const MinPasswordLength = 10

// maxPasswordLength bounds the work a login costs (argon2 reads the whole
// password) and what a request may carry.
const maxPasswordLength = 256

// HashPassword returns the argon2id PHC string of password with a random
// salt: $argon2id$v=19$m=19456,t=2,p=1$<salt>$<key> (unpadded base64).
func HashPassword(password string, p PasswordParams) (string, error) {
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// ParsePasswordHash reads the parameters, salt and key of a PHC string
// written by HashPassword.
func ParsePasswordHash(phc string) (PasswordParams, []byte, []byte, error) {
	var p PasswordParams
	parts := strings.Split(phc, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return p, nil, nil, fmt.Errorf("password hash is not an argon2id PHC string")
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return p, nil, nil, fmt.Errorf("password hash: unsupported argon2 version %q", parts[2])
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return p, nil, nil, fmt.Errorf("password hash parameters %q: %w", parts[3], err)
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return p, nil, nil, fmt.Errorf("password hash salt: %w", err)
	}
	key, err := b64.DecodeString(parts[5])
	if err != nil {
		return p, nil, nil, fmt.Errorf("password hash key: %w", err)
	}
	p.SaltLen, p.KeyLen = uint32(len(salt)), uint32(len(key))
	return p, salt, key, nil
}

// VerifyPassword reports whether password matches the PHC string, comparing
// in constant time.
func VerifyPassword(password, phc string) bool {
	p, salt, key, err := ParsePasswordHash(phc)
	if err != nil || len(password) > maxPasswordLength {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return subtle.ConstantTimeCompare(got, key) == 1
}

// commonPasswordsText is a small list of passwords that appear at the top of
// public breach corpora (and Chinese variants), one per line; the policy
// refuses them whatever their length.
//
//go:embed common_passwords.txt
var commonPasswordsText string

var commonPasswords = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(commonPasswordsText))
	for sc.Scan() {
		if w := strings.TrimSpace(sc.Text()); w != "" && !strings.HasPrefix(w, "#") {
			m[strings.ToLower(w)] = true
		}
	}
	return m
})

// CheckPasswordPolicy returns an Invalid error (field "password") when
// password breaks the policy: at least MinPasswordLength characters, at most
// 256 bytes, not the username, not one character repeated, and not in the
// embedded list of common passwords (compared case-insensitively).
func CheckPasswordPolicy(username, password string) error {
	n := utf8.RuneCountInString(password)
	switch {
	case n < MinPasswordLength:
		return invalidField("password", "weak_password", "密码至少需要 %d 个字符（现为 %d 个）", MinPasswordLength, n)
	case len(password) > maxPasswordLength:
		return invalidField("password", "weak_password", "密码不能超过 %d 字节", maxPasswordLength)
	case strings.EqualFold(strings.TrimSpace(password), strings.TrimSpace(username)):
		return invalidField("password", "weak_password", "密码不能与用户名相同")
	case strings.Count(password, string([]rune(password)[:1])) == n:
		return invalidField("password", "weak_password", "密码不能由同一个字符重复组成")
	case commonPasswords()[strings.ToLower(password)]:
		return invalidField("password", "weak_password", "该密码过于常见（在常用密码列表中），请换一个")
	}
	return nil
}

// RandomPassword returns a password of 20 characters from an alphabet
// without look-alike characters (about 115 bits of entropy), for generated
// and demo accounts.
func RandomPassword() string {
	const alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789"
	b := make([]byte, 20)
	rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}
