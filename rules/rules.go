// Package rules holds ekslint's checks, one file per group of RULES.md. Each rule is a value: its
// id, level, documentation and check function. The engine takes them as a list; cmd/ekslint wires
// All into it.
package rules

import "github.com/ekslint/ekslint/lint"

// All returns every rule, in catalogue order.
func All() []*lint.Rule {
	return []*lint.Rule{
		// G1: cluster control plane.
		EndpointPublicAccess,
		EndpointPublicCIDRUnrestricted,
		ControlPlaneAuditLogDisabled,
		ControlPlaneLoggingIncomplete,
		SecretsKMSCMKMissing,
		FewAvailabilityZones,
		// G4: node groups.
		NodegroupSSHEnabled,
		NodegroupSSHOpenToInternet,
		NodegroupSingleAZ,
		// G5: workloads.
		ReadinessProbeMissing,
		LivenessProbeMissing,
		ResourceRequestsMissing,
		MemoryLimitMissing,
		ReplicasNoAntiAffinity,
		HostNetwork,
		ImageTagMutable,
	}
}
