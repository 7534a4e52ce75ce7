
namespace EvGateway.Charging.Tariff;

/// <summary>The `Tariff:*` settings: where day-ahead prices come from.</summary>
public sealed class TariffOptions
{
    public const string SectionName = "Tariff";

    /// <summary>An http(s) URL or a local file path serving Octopus Agile unit-rate JSON; empty = no smart charging.</summary>
    public string? Url { get; set; }

    /// <summary>How long fetched prices are reused; new day-ahead prices appear once a day around 16:00 UK time.</summary>
    public int RefreshMinutes { get; set; } = 30;

    /// <summary>How the feed's prices read to a person (Octopus Agile's are pence per kWh incl. VAT); only shown, never computed with.</summary>
    public string Unit { get; set; } = "p/kWh";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Url);

    /// <summary>The source as a URI: http(s) as given, anything else a file path.</summary>
    public Uri Source() =>
        Uri.TryCreate(Url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : new Uri(Path.GetFullPath(Url!));
}
