# ekslint's container image: the GitHub Action (action.yml builds it from this file), the
# ekslint-docker pre-commit hook and `docker run` all use it. The entrypoint is the ekslint
# binary; the subcommand comes as the arguments (action.yml passes `action`).
#
#   docker build --build-arg VERSION=v0.1.0 -t ghcr.io/ekslint/ekslint:v0.1.0 .
#   docker run --rm -v "$PWD:/src" -w /src ghcr.io/ekslint/ekslint:v0.1.0 lint .

# The Go release go.mod asks for (go 1.26).
ARG GO_VERSION=1.26.8

FROM golang:${GO_VERSION} AS build
WORKDIR /src
# Modules first, so that a change to the source reuses the download layer.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
# A static binary (no libc in the runtime image), without local paths or debug symbols.
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/ekslint ./cmd/ekslint

# Nothing but the binary: ekslint reads files and fetches nothing, so it needs no shell, no CA
# certificates and no network. It runs as root, the image's default user, because GitHub runs
# container actions as root and a non-root user cannot write the SARIF file, the job summary or
# the outputs into the runner's workspace (GitHub's Dockerfile support docs: "Do not use the USER
# instruction"). pre-commit runs the image as the calling user; run it by hand with
# --user "$(id -u):$(id -g)" to do the same. No WORKDIR either: GitHub sets the working
# directory to the workspace it mounts.
FROM gcr.io/distroless/static-debian13
COPY --from=build /out/ekslint /ekslint
ENTRYPOINT ["/ekslint"]
