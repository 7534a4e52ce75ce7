using EvGateway.Vehicles;
using EvGateway.Vehicles.Accounts;

namespace EvGateway.Manufacturers.Psa.Accounts;

/// <summary>
/// What follows a change the owner made to the PSA account (a login, an import, a pairing): the cars are listed again
/// at once (with their new capabilities), and a newly connected account is recorded among the stored accounts so that
/// a running demo ends and later starts stay out of it. Directory and settings store are absent when the adapter runs
/// alone (tests).
/// </summary>
internal sealed class PsaAccountChanges(
    PsaProvider provider,
    PsaTokenStore store,
    IEnumerable<IAccountSettingsStore> settingsStores,
    IEnumerable<VehicleDirectory> directories)
{
    /// <summary>The login itself is in the token store by now; the stored settings only name its country (nothing secret).</summary>
    public async Task AccountConnectedAsync(CancellationToken cancellationToken)
    {
        if (store.Login is { } login)
        {
            foreach (var settings in settingsStores)
            {
                await settings.SaveAsync(PsaOptions.SectionName,
                    new Dictionary<string, string?> { [nameof(PsaOptions.Country)] = login.Country }, cancellationToken);
            }
        }

        CarsChanged();
    }

    public void CarsChanged()
    {
        provider.ForgetCars();
        foreach (var directory in directories)
        {
            directory.Invalidate();
        }
    }
}
