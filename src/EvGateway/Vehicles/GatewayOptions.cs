using System.ComponentModel.DataAnnotations;
using EvGateway.Vehicles.Budget;

namespace EvGateway.Vehicles;

/// <summary>The `Gateway:*` settings (design.md's configuration contract; the names are fixed).</summary>
public sealed class GatewayOptions
{
    public const string SectionName = "Gateway";

    /// <summary>Where the gateway listens; a LAN surface like the old bridge.</summary>
    [Required(ErrorMessage = "Gateway:Urls must name where to listen, e.g. http://0.0.0.0:5000.")]
    public string Urls { get; set; } = "http://0.0.0.0:5000";

    /// <summary>CIDR ranges allowed to call the gateway; empty = loopback and the private LAN ranges.</summary>
    public string[] AllowedNetworks { get; set; } = [];

    /// <summary>Host names answered besides IP literals, localhost, *.local and single-label names (<c>*.example.org</c> = any below it).</summary>
    public string[] AllowedHosts { get; set; } = [];

    /// <summary>Browser origins allowed to read answers besides those on the home network; <c>*</c> = every origin.</summary>
    public string[] CorsOrigins { get; set; } = [];

    /// <summary>When set, every request except health needs header X-Api-Key with this value.</summary>
    public string? ApiKey { get; set; }

    /// <summary>False turns the gateway read-only: every remote command answers 403.</summary>
    public bool AllowRemoteCommands { get; set; } = true;

    /// <summary>Unlocking the doors remotely is a second, separate opt-in.</summary>
    public bool AllowRemoteUnlock { get; set; }

    /// <summary>Where charge-control settings and the token store live.</summary>
    [Required(ErrorMessage = "Gateway:DataDirectory must name a folder for settings and tokens.")]
    public string DataDirectory { get; set; } = "./data";

    /// <summary>Run against the embedded simulator; null = demo when no maker is configured.</summary>
    public bool? Demo { get; set; }

    /// <summary>How old a cached status may be before a read goes to the cloud.</summary>
    [Range(0, 86400, ErrorMessage = "Gateway:StatusMaxAgeSeconds must be from 0 to 86400 seconds.")]
    public int StatusMaxAgeSeconds { get; set; } = 60;

    /// <summary>When the gateway refreshes a car on its own, and how often home automation may make it reach the cloud.</summary>
    public RefreshPolicy RefreshPolicy { get; set; } = RefreshPolicy.Connected;

    /// <summary>How often a car is refreshed while its policy is active (plugged in, charging, or always).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00", ErrorMessage = "Gateway:RefreshInterval must be from 00:01:00 to 1.00:00:00.")]
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often a car is refreshed otherwise (parked and unplugged for <c>connected</c>, not charging for <c>charging</c>).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00", ErrorMessage = "Gateway:IdleRefreshInterval must be from 00:01:00 to 7.00:00:00.")]
    public TimeSpan IdleRefreshInterval { get; set; } = TimeSpan.FromMinutes(60);

    /// <summary>Per-car settings by VIN, e.g. <c>Gateway:Cars:VF1AG000164000001:RefreshPolicy</c>.</summary>
    public Dictionary<string, CarSettings> Cars { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>The settings of one car (<c>Gateway:Cars:&lt;VIN&gt;:*</c>).</summary>
public sealed class CarSettings
{
    /// <summary>Overrides <c>Gateway:RefreshPolicy</c> for this car.</summary>
    public RefreshPolicy? RefreshPolicy { get; set; }
}
