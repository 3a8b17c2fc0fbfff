#!/bin/bash
# Kit consumption against the raw tools, in one run on one machine:
#   - publish a kit of about 220 MB (one package of incompressible data) to the loopback repository
#     server that the ITs use (its/repo-server, nginx on 127.0.0.1);
#   - build a consumer project with an empty local repository and kit cache; the plugin logs how
#     long resolving the payload (Maven Resolver download) and verifying + unpacking it took;
#   - do the same by hand: curl + sha256sum + tar x of the same URL;
#   - time the consumer's no-op rebuild.
# Needs the plugin in ~/.m2 (mvn -B install -pl twoliter-maven-plugin -am), Docker, the SDK, nginx.
#   docs/benchmarks/kit-fetch.sh [runs]
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
runs=${1:-3}
version=$(sed -n 's|^  <version>\(.*\)</version>|\1|p' "$repo/pom.xml" | head -n 1)
work=$(mktemp -d /var/tmp/twoliter-kit-bench.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
url=http://127.0.0.1:$port
bash "$repo/its/repo-server/start.sh" "$work/server" "$port" >/dev/null
trap 'bash "$repo/its/repo-server/stop.sh" "$work/server" >/dev/null; rm -rf "$work"' EXIT

plugin="<plugin><groupId>dev.twoliter</groupId><artifactId>twoliter-maven-plugin</artifactId><version>$version</version><extensions>true</extensions></plugin>"
cat > "$work/settings.xml" <<EOF
<settings>
  <servers><server><id>bench</id><username>deployer</username><password>s3cret</password></server></servers>
  <profiles><profile><id>plugins</id><activation><activeByDefault>true</activeByDefault></activation>
    <pluginRepositories><pluginRepository><id>user-m2</id><url>file://$HOME/.m2/repository</url></pluginRepository></pluginRepositories>
    <repositories><repository><id>user-m2</id><url>file://$HOME/.m2/repository</url></repository></repositories>
  </profile></profiles>
</settings>
EOF
mkdir -p "$work/vendor/bulk" "$work/vendor/bulk-kit" "$work/consumer"
cat > "$work/vendor/pom.xml" <<EOF
<project><modelVersion>4.0.0</modelVersion><groupId>bench.vendor</groupId><artifactId>vendor</artifactId><version>1.0</version><packaging>pom</packaging>
<modules><module>bulk</module><module>bulk-kit</module></modules>
<properties><project.build.outputTimestamp>2026-01-01T00:00:00Z</project.build.outputTimestamp></properties>
<distributionManagement><repository><id>bench</id><url>$url/releases</url></repository></distributionManagement>
<build><pluginManagement><plugins><plugin><artifactId>maven-install-plugin</artifactId><version>3.1.4</version></plugin><plugin><artifactId>maven-deploy-plugin</artifactId><version>3.1.4</version></plugin></plugins></pluginManagement>
<plugins>$plugin</plugins></build></project>
EOF
cat > "$work/vendor/bulk/pom.xml" <<EOF
<project><modelVersion>4.0.0</modelVersion><parent><groupId>bench.vendor</groupId><artifactId>vendor</artifactId><version>1.0</version></parent>
<artifactId>bulk</artifactId><packaging>rpm</packaging>
<build><plugins><plugin><groupId>dev.twoliter</groupId><artifactId>twoliter-maven-plugin</artifactId>
<configuration><defines><_binary_payload>w0.gzdio</_binary_payload></defines></configuration></plugin></plugins></build></project>
EOF
cat > "$work/vendor/bulk/bulk.spec" <<'EOF'
Name: bulk
Version: 1.0
Release: 1
Summary: 220 MB of incompressible data
License: MIT
BuildArch: noarch
%description
Benchmark payload.
%prep
%build
head -c 230686720 /dev/urandom > bulk.bin
%install
install -D -m 0644 bulk.bin %{buildroot}%{_cross_datadir}/bulk/bulk.bin
%files
%{_cross_datadir}/bulk
EOF
cat > "$work/vendor/bulk-kit/pom.xml" <<EOF
<project><modelVersion>4.0.0</modelVersion><parent><groupId>bench.vendor</groupId><artifactId>vendor</artifactId><version>1.0</version></parent>
<artifactId>bulk-kit</artifactId><packaging>kit</packaging>
<dependencies><dependency><groupId>bench.vendor</groupId><artifactId>bulk</artifactId><version>1.0</version><type>rpm</type></dependency></dependencies></project>
EOF
cat > "$work/consumer/pom.xml" <<EOF
<project><modelVersion>4.0.0</modelVersion><groupId>bench.consumer</groupId><artifactId>user</artifactId><version>1.0</version><packaging>rpm</packaging>
<properties><project.build.outputTimestamp>2026-01-01T00:00:00Z</project.build.outputTimestamp></properties>
<repositories><repository><id>bench</id><url>$url/releases</url></repository></repositories>
<dependencies><dependency><groupId>bench.vendor</groupId><artifactId>bulk-kit</artifactId><version>1.0</version><type>kit</type></dependency></dependencies>
<build><plugins>$plugin</plugins></build></project>
EOF
cat > "$work/consumer/user.spec" <<'EOF'
Name: user
Version: 1.0
Release: 1
Summary: Needs bulk from bulk-kit
License: MIT
BuildArch: noarch
BuildRequires: bulk
%description
Benchmark consumer.
%prep
%build
%install
mkdir -p %{buildroot}/usr/share/user
%files
/usr/share/user
EOF

echo "== publishing bulk-kit to $url"
mvn -B -q -s "$work/settings.xml" -Dmaven.repo.local="$work/m2-vendor" -f "$work/vendor/pom.xml" deploy >/dev/null
payload_url=$url/releases/bench/vendor/bulk-kit/1.0/bulk-kit-1.0-x86_64.tar
echo "payload: $(curl -sI "$payload_url" | tr -d '\r' | sed -n 's/^Content-Length: //p') bytes"

for i in $(seq 1 "$runs"); do
  rm -rf "$work/m2-consumer" "$work/kits" "$work/raw" "$work/raw.tar"
  log=$(mvn -B -s "$work/settings.xml" -Dmaven.repo.local="$work/m2-consumer" -Dtwoliter.kitCache="$work/kits" \
        -f "$work/consumer/pom.xml" package)
  echo "plugin run $i: $(grep -o 'payload of .*' <<<"$log")"
  start=$(date +%s.%N)
  curl -sf -o "$work/raw.tar" "$payload_url"
  sha256sum "$work/raw.tar" >/dev/null
  mkdir "$work/raw" && tar -xf "$work/raw.tar" -C "$work/raw"
  echo "raw run $i: curl + sha256sum + tar x in $(echo "$(date +%s.%N) - $start" | bc) s"
done
for i in $(seq 1 "$runs"); do
  /usr/bin/time -f "consumer no-op rebuild $i: %e s" mvn -B -q -s "$work/settings.xml" -Dmaven.repo.local="$work/m2-consumer" \
      -Dtwoliter.kitCache="$work/kits" -f "$work/consumer/pom.xml" package
done
