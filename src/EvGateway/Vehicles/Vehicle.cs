namespace EvGateway.Vehicles;

/// <summary>A car on one of the configured accounts, as every brand describes it.</summary>
/// <param name="Vin">The 17-character vehicle identification number, the key of every route.</param>
/// <param name="Maker">The adapter that serves the car (see <see cref="IVehicleProvider.Maker"/>).</param>
/// <param name="Brand">The badge on the car (Renault, Dacia, Alpine, Peugeot, Citroen, DS, Opel, Vauxhall).</param>
/// <param name="Model">The marketing name (Zoe, e-208, ...).</param>
/// <param name="ModelCode">The maker's model code when it has one (X102VE), used to pick capabilities.</param>
/// <param name="Capabilities">What the gateway can read or do for this car.</param>
/// <param name="BatteryCapacityKwh">Usable traction battery capacity; null for cars without one.</param>
/// <param name="MakerVehicleId">The maker's own id for the car when it is not the VIN (PSA uses an opaque id).</param>
public sealed record Vehicle(
    string Vin,
    string Maker,
    string Brand,
    string Model,
    string? ModelCode,
    IReadOnlySet<VehicleCapability> Capabilities,
    double? BatteryCapacityKwh,
    string? MakerVehicleId = null)
{
    public bool Has(VehicleCapability capability) => Capabilities.Contains(capability);

    /// <summary>True when the car has a traction battery (an EV or a plug-in hybrid).</summary>
    public bool IsElectric => Has(VehicleCapability.BatteryStatus);
}
