using EvGateway.Vehicles;

namespace EvGateway.Charging.Control;

/// <summary>
/// Charge-control settings brought by an account import (psa_car_controller's charge_config.json) become the cars'
/// settings, as if the owner had set each of them here; a failure recorded earlier no longer applies.
/// </summary>
internal sealed class ChargeControlImport(ChargeControlStore store) : IChargeControlImport
{
    public async Task ImportAsync(IReadOnlyList<ImportedChargeControl> settings, CancellationToken cancellationToken)
    {
        foreach (var setting in settings)
        {
            await store.UpdateAsync(setting.Vin, _ => new ChargeControlSetting(setting.PercentageThreshold, setting.StopAt), cancellationToken);
        }
    }
}
