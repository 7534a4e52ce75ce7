# Multi-stage build: the SDK image builds, the small ASP.NET runtime image runs as a non-root user.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/EvGateway -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
ENV Gateway__Urls=http://0.0.0.0:5000 \
    Gateway__DataDirectory=/data \
    DOTNET_gcServer=0
RUN mkdir -p /data && chown app:app /data
USER app
VOLUME /data
EXPOSE 5000
# The runtime image has neither curl nor wget: the gateway checks itself (/health/live on the port of Gateway:Urls).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
  CMD ["dotnet", "EvGateway.dll", "healthcheck"]
ENTRYPOINT ["dotnet", "EvGateway.dll"]
