# ekslint's container image, built from source: the container action (docker/action.yml builds
# it from this file, for a commit that is not released) and `docker build` use it. A release's
# image, which the ekslint-docker pre-commit hook and `docker run` use, is the same image made
# from the release's binaries (Dockerfile.release). The entrypoint is the ekslint binary; the
# subcommand comes as the arguments (docker/action.yml passes `action`).
#
#   docker build -t ekslint .
#   docker run --rm -v "$PWD:/src" -w /src ekslint lint .

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
