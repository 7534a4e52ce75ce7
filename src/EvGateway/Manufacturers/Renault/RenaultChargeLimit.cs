using EvGateway.Vehicles;
using EvGateway.Vehicles.Capabilities;
using Microsoft.Extensions.Options;

namespace EvGateway.Manufacturers.Renault;

/// <summary>KCM ev/soc-levels: <c>socMin</c> (15–45) and <c>socTarget</c> (55–100), both in steps of 5 (renault.md §2).</summary>
internal sealed record SocLevels(int? SocMin, int? SocTarget);

/// <summary>
/// The charge limit of the KCM cars that cannot be stopped remotely but stop by themselves at <c>socTarget</c>
/// (Megane E-Tech, Renault 5 family). The cloud takes both levels at once, so the owner's minimum is read and kept.
/// </summary>
internal sealed class RenaultChargeLimit(IKamereonApi kamereon, RenaultProvider cars, KamereonCalls calls,
    IOptionsMonitor<RenaultOptions> options) : IChargeLimit
{
    // What the MyRenault app sets when the owner never chose a minimum.
    private const int DefaultSocMin = 20;

    public bool Supports(Vehicle vehicle) => vehicle.Maker == RenaultProvider.MakerName && vehicle.Has(VehicleCapability.ChargeLimit);

    public ChargeLimitSteps Steps(Vehicle vehicle) => new(Min: 55, Step: 5);

    public async Task SetAsync(Vehicle vehicle, int targetPercent, CancellationToken cancellationToken)
    {
        var (vin, country) = (vehicle.Vin, options.CurrentValue.Country);
        var account = await cars.AccountOfAsync(vin, cancellationToken);
        var levels = await calls.SendAsync(account, vin, "charge limits",
            ct => kamereon.GetSocLevelsAsync(account, vin, country, ct), cancellationToken);
        var wanted = new SocLevels(levels.SocMin ?? DefaultSocMin, targetPercent);
        await calls.SendAsync(account, vin, "charge limit", ct => kamereon.SetSocLevelsAsync(account, vin, country, wanted, ct),
            cancellationToken);
    }
}
