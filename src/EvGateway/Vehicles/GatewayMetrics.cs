using Prometheus;

namespace EvGateway.Vehicles;

/// <summary>
/// What a home owner wants to see on /metrics: how often the clouds are really asked (the quota), how often the cache
/// answers instead, and which commands and failures happen. Labels carry makers, commands and error codes only.
/// The gateway counts into the default registry (beside the process figures); a test host gets a registry of its
/// own, so what it reads is what it caused.
/// </summary>
public sealed class GatewayMetrics
{
    public GatewayMetrics()
        : this(Metrics.DefaultRegistry)
    {
    }

    public GatewayMetrics(CollectorRegistry registry)
    {
        Registry = registry;
        var metrics = Metrics.WithCustomRegistry(registry);
        StatusReads = metrics.CreateCounter("evgateway_status_reads_total",
            "Status reads by where the answer came from: cache, cloud, or stale (cloud unavailable, last known data served).", "maker", "source");
        CloudFailures = metrics.CreateCounter("evgateway_cloud_failures_total",
            "Failed cloud requests by the gateway's error code.", "maker", "code");
        Commands = metrics.CreateCounter("evgateway_commands_total",
            "Remote commands by outcome (accepted, refused, or the error code).", "maker", "command", "outcome");
        CallBudgetUsed = metrics.CreateGauge("evgateway_call_budget_used",
            "Cloud calls the maker account made in the last hour (its call budget).", "maker");
        CallBudgetLeft = metrics.CreateGauge("evgateway_call_budget_left",
            "Cloud calls the maker account may still make in the rolling hour (commands may use them all).", "maker");
        CallsDeferred = metrics.CreateCounter("evgateway_calls_deferred_total",
            "Reads and calls the call budget put off (served from cache or refused) by the priority that asked.", "maker", "priority");
    }

    /// <summary>Where the counters live; /metrics serves this registry.</summary>
    public CollectorRegistry Registry { get; }

    public Counter StatusReads { get; }

    public Counter CloudFailures { get; }

    public Counter Commands { get; }

    public Gauge CallBudgetUsed { get; }

    public Gauge CallBudgetLeft { get; }

    public Counter CallsDeferred { get; }
}
