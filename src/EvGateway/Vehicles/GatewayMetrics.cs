using Prometheus;

namespace EvGateway.Vehicles;

/// <summary>
/// What a home owner wants to see on /metrics: how often the clouds are really asked (the quota), how often the cache
/// answers instead, and which commands and failures happen. Labels carry makers, commands and error codes only.
/// </summary>
public static class GatewayMetrics
{
    public static readonly Counter StatusReads = Metrics.CreateCounter("evgateway_status_reads_total",
        "Status reads by where the answer came from: cache, cloud, or stale (cloud unavailable, last known data served).", "maker", "source");

    public static readonly Counter CloudFailures = Metrics.CreateCounter("evgateway_cloud_failures_total",
        "Failed cloud requests by the gateway's error code.", "maker", "code");

    public static readonly Counter Commands = Metrics.CreateCounter("evgateway_commands_total",
        "Remote commands by outcome (accepted, refused, or the error code).", "maker", "command", "outcome");
}
