package lint

import "testing"

func TestPlaceholders(t *testing.T) {
	for _, c := range []struct {
		s        string
		whole    bool
		contains bool
	}{
		{"${CARTS_IAM_ROLE}", true, true},
		{" ${IMAGE:-nginx:1.27} ", true, true},
		{"$IMAGE", true, true},
		{"$(SERVICE_NAME)", true, true},
		{"$(Build.BuildId)", true, true},
		{"{{ .Values.image }}", true, true},
		{`{{ printf "%s:%s" .repo .tag }}`, true, true},
		{"${{ secrets.ROLE_ARN }}", true, true},
		{"arn:aws:iam::${AWS_ACCOUNT_ID}:role/carts", false, true},
		{"registry.example.com/app:${TAG}", false, true},
		{"{{ .repo }}:{{ .tag }}", false, true},
		{"%K8S_VERSION%", true, true},
		{"#{ImageTag}#", true, true},
		{"#{Octopus.Release.Number}", true, true},
		{"__VERSION__", true, true},
		{"app:__IMAGE_TAG__", false, true},
		{"--EKS_VERSION--", true, true},
		{"@STS_NAME@", true, true},
		{"--dry-run", false, false},
		{"user@example.com", false, false},
		{"100%", false, false},
		{"50%OFF", false, false},
		{"__init__", false, false},
		{"ko://github.com/example/app/cmd/app", true, true},
		{" ko://example.com/app ", true, true},
		{"see ko://example.com/app", false, false},
		{"ko://", false, false},
		// Written for a person to fill in: nothing replaces them.
		{"arn:aws:iam::ACCOUNT_ID:role/carts", false, false},
		{"arn:aws:iam::<account-id>:role/carts", false, false},
		{"xxxxxxxxxxxx", false, false},
		{"{account}", false, false},
		{"{IMAGE}", false, false},
		{"<IMAGE>", false, false},
		{"IMAGE_PLACEHOLDER", false, false},
		{"$", false, false},
		{"$1", false, false},
		{"100$", false, false},
		{"", false, false},
	} {
		if got := IsPlaceholder(c.s); got != c.whole {
			t.Errorf("IsPlaceholder(%q) = %v, want %v", c.s, got, c.whole)
		}
		if got := HasPlaceholder(c.s); got != c.contains {
			t.Errorf("HasPlaceholder(%q) = %v, want %v", c.s, got, c.contains)
		}
	}
}

func TestFillPlaceholders(t *testing.T) {
	for s, want := range map[string]string{
		"${REGISTRY}/app:latest":          "0/app:latest",
		"registry.example.com/app:${TAG}": "registry.example.com/app:0",
		"{{ .repo }}:{{ .tag }}":          "0:0",
		"ko://github.com/example/app/cmd": "0",
		"nginx:1.27":                      "nginx:1.27",
		"<account>.dkr.ecr.amazonaws.com": "<account>.dkr.ecr.amazonaws.com",
	} {
		if got := FillPlaceholders(s, "0"); got != want {
			t.Errorf("FillPlaceholders(%q) = %q, want %q", s, got, want)
		}
	}
}
