namespace EvGateway.Vehicles;

/// <summary>
/// One car's charge-control setting brought from another tool (psa_car_controller's charge_config.json).
/// </summary>
/// <param name="Vin">The car.</param>
/// <param name="PercentageThreshold">Stop charging at this battery level; 100 = no threshold.</param>
/// <param name="StopAt">Local time of day to stop charging every day, or null.</param>
public sealed record ImportedChargeControl(string Vin, int PercentageThreshold, TimeOnly? StopAt);

/// <summary>
/// Where an account import hands the charge-control settings it brought (implemented by Charging/, absent when it is
/// not added), so a maker can import them without knowing charge control.
/// </summary>
public interface IChargeControlImport
{
    /// <summary>Replaces the settings of these cars (and only these) and persists them before returning.</summary>
    Task ImportAsync(IReadOnlyList<ImportedChargeControl> settings, CancellationToken cancellationToken);
}
