using EvGateway.Vehicles;

namespace EvGateway.Manufacturers.Psa;

/// <summary>What the vehicle list does not say: usable battery capacity by model, and what the gateway can do with the car.</summary>
internal static class PsaVehicleCatalog
{
    private const double CommonEvCapacityKwh = 46;

    private static readonly string[] PlugInHybridMarkers = ["hybrid", "phev", "e-tense 4x4", "4xe"];

    // Most of the range shares the 50 kWh pack (46 usable); only the exceptions are listed.
    private static readonly (string LabelPart, double UsableKwh)[] Exceptions =
    [
        ("ami", 5.5),
        ("rocks-e", 5.5),
        ("e-3008", 73),
        ("e-5008", 73),
        ("e-308", 51),
        ("e-408", 51),
    ];

    private static readonly VehicleCapability[] ReadCapabilities =
    [
        VehicleCapability.BatteryStatus,
        VehicleCapability.Odometer,
        VehicleCapability.Location,
        VehicleCapability.ClimateStatus,
    ];

    private static readonly VehicleCapability[] CommandCapabilities =
    [
        VehicleCapability.ChargeStart,
        VehicleCapability.ChargeStop,
        VehicleCapability.ChargeSchedule,
        VehicleCapability.ClimateControl,
        VehicleCapability.HornLights,
        VehicleCapability.Lock,
        VehicleCapability.WakeUp,
    ];

    public static double UsableCapacityKwh(string label)
    {
        var lower = label.ToLowerInvariant();
        if (PlugInHybridMarkers.Any(lower.Contains))
        {
            return 12;
        }

        foreach (var (labelPart, usableKwh) in Exceptions)
        {
            if (lower.Contains(labelPart, StringComparison.Ordinal))
            {
                return usableKwh;
            }
        }

        return CommonEvCapacityKwh;
    }

    public static IReadOnlySet<VehicleCapability> Capabilities(bool remoteCommands) =>
        (remoteCommands ? ReadCapabilities.Concat(CommandCapabilities) : ReadCapabilities).ToHashSet();

    /// <summary>"CITROEN" / "Citroën" / "opel" → the badge names the gateway uses.</summary>
    public static string NormalizeBrand(string? brand, PsaBrand configured)
    {
        var lower = (brand ?? "").Trim().ToLowerInvariant();
        return lower switch
        {
            "peugeot" => "Peugeot",
            "citroen" or "citroën" => "Citroen",
            "ds" or "driveds" => "DS",
            "opel" => "Opel",
            "vauxhall" => "Vauxhall",
            "" => configured.ToString(),
            _ => brand!.Trim(),
        };
    }
}
