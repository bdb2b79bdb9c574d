# bridgebot container image.
#
#   docker build -t bridgebot .
#   docker run -d --name bridgebot --restart unless-stopped --stop-timeout 15 \
#     -e DISCORD_TOKEN -v bridgebot-data:/data bridgebot
#
# The token is never part of the image. Give it at run time, either as the DISCORD_TOKEN
# environment variable (as above, taken from the calling shell) or as a file at
# /run/secrets/discord_token (a Docker or Compose secret named discord_token, readable by
# uid 10001); the variable wins when both are there. The database is /data/bridgebot.db, on
# the /data volume.
#
# Other commands use the same config: `docker run --rm bridgebot check`,
# `docker run --rm bridgebot preview '/contrast'`. To change settings, mount your own file
# over /etc/bridgebot/bridgebot.toml (see config.example.toml; keep database = "/data/...").
# `docker kill --signal HUP bridgebot` reloads content from [content] dir.
#
# On SIGTERM the bot gives replies and posts in flight at most 8 s and exits 0, inside
# Docker's default 10 s stop timeout; --stop-timeout 15 (Compose: stop_grace_period: 15s)
# leaves a margin. Anything cut short is recovered from the database at the next start.
#
# The bot waits by itself while Discord is unreachable at start. Exit code 1 is a failure that
# may pass (the gateway failing later, the database locked); 2 is one only a person can fix
# (invalid content, a token Discord refuses). Docker's restart policies do not tell them
# apart, so a container that keeps restarting shows why in `docker logs bridgebot`.

# ---- build ----------------------------------------------------------------------------------
FROM rust:1.95-bookworm AS build
WORKDIR /src

# Dependencies first, in their own layer: it is rebuilt only when Cargo.toml or Cargo.lock
# change, not on every source edit. Cargo needs every workspace member's manifest, so the
# test-only crate's manifest comes too; the sources are stand-ins for this step.
COPY Cargo.toml Cargo.lock ./
COPY crates/fake-discord/Cargo.toml crates/fake-discord/Cargo.toml
RUN mkdir -p src crates/fake-discord/src \
 && echo 'fn main() {}' > src/main.rs \
 && touch src/lib.rs crates/fake-discord/src/lib.rs \
 && cargo build --release --locked \
 && rm -rf src crates/fake-discord/src

# The bot itself. Content, migrations and the chart font (assets/) are compiled into the
# binary, so the runtime image needs none of them. The touch makes
# cargo see the real sources as newer than the stand-ins built above (COPY keeps the
# files' original modification times; without it cargo would keep the stand-in binary).
# `check` fails the build if the content is invalid, and the stand-in would print no
# version, so a stale binary fails it too.
COPY src src
COPY migrations migrations
COPY content content
COPY assets assets
COPY crates crates
RUN touch src/main.rs src/lib.rs \
 && cargo build --release --locked \
 && ./target/release/bridgebot check \
 && test -n "$(./target/release/bridgebot --version)"

# ---- runtime --------------------------------------------------------------------------------
# The binary needs only glibc (libc, libm, libgcc_s). TLS is rustls with Mozilla's root
# certificates compiled in, and the time-zone database is compiled in too, so neither the
# ca-certificates nor the tzdata package is installed. Same Debian release as the build
# stage, so the glibc versions match.
FROM debian:bookworm-slim

# A fixed, unprivileged user (uid 10001), a /data folder it owns (a new named volume starts
# with that owner; a bind-mounted host folder must be writable by uid 10001), and the config.
RUN groupadd --gid 10001 bridgebot \
 && useradd --uid 10001 --gid bridgebot --home-dir /data --no-create-home --no-log-init \
      --shell /usr/sbin/nologin bridgebot \
 && install -d -o bridgebot -g bridgebot -m 700 /data \
 && install -d -m 755 /etc/bridgebot \
 && printf '%s\n' \
      '# bridgebot config inside the container; see config.example.toml for every setting.' \
      '[discord]' \
      '# Used when DISCORD_TOKEN is not set: a Docker or Compose secret named discord_token.' \
      'token_file = "/run/secrets/discord_token"' \
      '' \
      '[storage]' \
      'database = "/data/bridgebot.db"' \
      > /etc/bridgebot/bridgebot.toml

COPY --from=build /src/target/release/bridgebot /usr/local/bin/bridgebot

USER 10001:10001
WORKDIR /data
VOLUME /data
# To serve metrics, set [metrics] listen = "0.0.0.0:9100" in your config and publish the port.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/bridgebot", "--config", "/etc/bridgebot/bridgebot.toml"]
CMD ["run"]
