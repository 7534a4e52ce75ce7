namespace EvGateway.HomeAutomation.Abrp;

/// <summary>The `Abrp:*` settings: where A Better Route Planner's live telemetry goes and the key it asks of the app.</summary>
public sealed class AbrpOptions
{
    public const string SectionName = "Abrp";

    /// <summary>Iternio's telemetry endpoint.</summary>
    public Uri Url { get; set; } = new("https://api.iternio.com/1/tlm/send");

    /// <summary>
    /// The API key Iternio issues to an application (free for personal projects, on request). There is no default:
    /// a key belongs to whoever asked for it. Without one nothing is sent and the car's ABRP view says why.
    /// </summary>
    public string? ApiKey { get; set; }
}
