package lint

// DefaultRoot is the lint root of a run started in wd without --root: the git work tree holding
// wd, else wd itself. The config file is looked for there.
func DefaultRoot(wd string) string { return defaultRoot(wd, wd) }
