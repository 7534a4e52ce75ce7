using EvGateway.Simulator;
using EvGateway.Simulator.Renault;

namespace EvGateway.Tests.Charging;

/// <summary>The settings that point the real Renault adapter at a simulated cloud, for the charging tests.</summary>
internal static class RenaultChargingSettings
{
    public static Dictionary<string, string?> For(CloudSimulator simulator) => new()
    {
        ["Renault:Username"] = RenaultCloud.DemoUsername,
        ["Renault:Password"] = RenaultCloud.DemoPassword,
        ["Renault:GigyaUrl"] = simulator.Renault.GigyaUrl.ToString(),
        ["Renault:KamereonUrl"] = simulator.Renault.KamereonUrl.ToString(),
        ["Renault:RetryDelayMilliseconds"] = "0",
        ["Renault:RequestTimeoutSeconds"] = "60",
    };
}
