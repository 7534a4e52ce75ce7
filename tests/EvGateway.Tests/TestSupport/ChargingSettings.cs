namespace EvGateway.Tests.TestSupport;

/// <summary>How the charging tests set a gateway up: a household in Paris, and adapters tuned to simulated time.</summary>
internal static class ChargingSettings
{
    public static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    /// <summary>Stop times and schedules are written in Paris time; <paramref name="more"/> adds settings or wins.</summary>
    public static Dictionary<string, string?> InParis(IDictionary<string, string?>? more = null) =>
        new Dictionary<string, string?> { ["Charging:TimeZone"] = "Europe/Paris" }.With(more);

    /// <summary>
    /// Paris, and adapter timeouts for tests that move the clock by minutes while a call is in flight: a Renault call
    /// may take a minute of simulated time, and a PSA command the car never answers ends after 5 s instead of 30.
    /// </summary>
    public static Dictionary<string, string?> InParisOverAdapters(IDictionary<string, string?>? more = null) =>
        InParis(new Dictionary<string, string?>
        {
            ["Renault:RequestTimeoutSeconds"] = "60",
            ["Psa:CommandTimeoutSeconds"] = "5",
        }).With(more);
}
