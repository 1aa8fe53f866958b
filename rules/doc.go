// Package rules holds ekslint's checks. Each rule is a lint.Rule value: its id, level, default
// state, documentation and check. All lists them in catalogue order (../shared/RULES.md);
// cmd/ekslint hands them to the pipeline.
//
// Where a rule is, by id (the first pattern that matches; TestRuleIndex keeps this table true):
//
//	cfn-*                              cloudformation.go
//	eks-nodegroup-*                    nodegroup.go
//	eks-endpoint-*                     cluster.go
//	eks-control-plane-*                cluster.go
//	eks-secrets-*                      cluster.go
//	eks-version-*                      cluster.go
//	eks-coredns-*                      cluster.go
//	eks-kube-proxy-*                   cluster.go
//	eks-few-availability-zones         cluster.go
//	eks-upgrade-policy-*               cluster.go
//	eks-vpc-cni-network-policy-*       addons.go
//	eks-vpc-cni-too-old-*              addons.go
//	eks-guardduty-*                    addons.go
//	eks-*                              access.go
//	k8s-namespace-without-*            networkpolicy.go
//	k8s-default-deny-*                 networkpolicy.go
//	k8s-networkpolicy-*                networkpolicy.go
//	k8s-lb-*                           service.go
//	k8s-alb-*                          service.go
//	k8s-service-*                      service.go
//	k8s-aws-auth-*                     rbac.go
//	k8s-rbac-*                         rbac.go
//	k8s-privileged-container           podsecurity.go
//	k8s-host-p*                        podsecurity.go
//	k8s-dangerous-capabilities         podsecurity.go
//	k8s-unconfined-profile             podsecurity.go
//	k8s-unsafe-sysctls                 podsecurity.go
//	k8s-privilege-escalation-allowed   podsecurity.go
//	k8s-run-as-root                    podsecurity.go
//	k8s-seccomp-profile-missing        podsecurity.go
//	k8s-capabilities-not-dropped       podsecurity.go
//	k8s-restricted-volume-type         podsecurity.go
//	k8s-root-filesystem-writable       podsecurity.go
//	k8s-namespace-pss-*                podsecurity.go
//	k8s-pss-*                          podsecurity.go
//	k8s-*                              workload.go
package rules
