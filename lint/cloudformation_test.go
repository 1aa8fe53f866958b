package lint

import "testing"

type testIndexKey int

func TestTemplateResourcesAndIndex(t *testing.T) {
	objs := parseObjects(t, `Resources:
  RoleA:
    Type: AWS::IAM::Role
  Nodes:
    Type: AWS::EKS::Nodegroup
  RoleB:
    Type: AWS::IAM::Role
`)
	tmpl := objs[0].Template()
	if roles := tmpl.Resources("AWS::IAM::Role"); len(roles) != 2 || roles[0].Name() != "RoleA" || roles[1].Name() != "RoleB" {
		t.Errorf("Resources(AWS::IAM::Role) = %v, want RoleA and RoleB in template order", roles)
	}
	if all := tmpl.Resources(""); len(all) != 3 {
		t.Errorf("Resources(\"\") has %d resources, want 3", len(all))
	}
	if none := tmpl.Resources("AWS::EC2::SecurityGroup"); len(none) != 0 {
		t.Errorf("Resources of an absent type = %v", none)
	}

	builds := 0
	count := func(tm *Template) int { builds++; return len(tm.Resources("")) }
	for range 3 {
		if got := TemplateIndex(tmpl, testIndexKey(0), count); got != 3 {
			t.Errorf("index = %d, want 3", got)
		}
	}
	if builds != 1 {
		t.Errorf("index built %d times, want once per template and key", builds)
	}
	nested := TemplateIndex(tmpl, testIndexKey(1), func(tm *Template) int {
		return TemplateIndex(tm, testIndexKey(0), count) * 2 // an index may use another
	})
	if nested != 6 || builds != 1 {
		t.Errorf("nested index = %d after %d builds, want 6 after 1", nested, builds)
	}
}
