using System.ComponentModel.DataAnnotations;

namespace EvGateway.Charging;

/// <summary>The `Charging:*` settings: how charge control and smart charging see the household.</summary>
public sealed class ChargingOptions
{
    public const string SectionName = "Charging";

    /// <summary>IANA (or Windows) id of the zone stop times and schedules are written in; empty = the machine's zone.</summary>
    public string? TimeZone { get; set; }

    /// <summary>How often a watched car is read while nothing is about to happen.</summary>
    [Range(10, 3600)]
    public int PollIntervalSeconds { get; set; } = 120;

    /// <summary>How long after a stop command the car is read again to check it really stopped.</summary>
    [Range(5, 900)]
    public int StopVerifyDelaySeconds { get; set; } = 60;

    /// <summary>Usable battery capacity in kWh by model name, overriding what the maker's adapter reports.</summary>
    public Dictionary<string, double> BatteryCapacityKwh { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Charge power assumed for planning when the car is not charging and so reports none (a 32 A wallbox).</summary>
    [Range(0.5, 400)]
    public double DefaultChargePowerKw { get; set; } = 7.4;

    public TimeZoneInfo ResolveTimeZone() =>
        string.IsNullOrWhiteSpace(TimeZone) ? TimeZoneInfo.Local : TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

}
