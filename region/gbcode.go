package region

// GBCode returns a registry code in the form GB/T 2260 writes it: six digits
// for the top three levels, the province and prefecture codes padded with
// zeros (11 → 110000, 4403 → 440300, 110108 unchanged), and the nine-digit
// statistical code for a town or subdistrict (GB/T 2260 stops at the county;
// the National Bureau of Statistics' 统计用区划代码 extends it by three
// digits, and its twelve-digit form pads those with 000). This is the one
// form sceval returns everywhere; Resolve accepts it and every other form.
// A code that is not 2, 4, 6 or 9 digits is returned unchanged.
func GBCode(code string) string {
	switch LevelOf(code) {
	case Province:
		return code + "0000"
	case Prefecture:
		return code + "00"
	}
	return code
}

// Canonical resolves a code written in any accepted form (GBCode's, the
// registry's short form, or the 12-digit statistical form) and returns the
// region with its Code and Parent in the GBCode form.
func (r *Registry) Canonical(code string) (Region, bool) {
	reg, ok := r.Resolve(code)
	if !ok {
		return Region{}, false
	}
	return WithGBCodes(reg), true
}

// WithGBCodes returns reg with its Code and Parent in the GBCode form.
func WithGBCodes(reg Region) Region {
	reg.Code = GBCode(reg.Code)
	if reg.Parent != "" {
		reg.Parent = GBCode(reg.Parent)
	}
	return reg
}
