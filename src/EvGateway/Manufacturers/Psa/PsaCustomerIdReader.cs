using EvGateway.Vehicles;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EvGateway.Manufacturers.Psa;

/// <summary>
/// Finds the connected account's customer id in its car associations (psa.md §1b step 4) and stores it with the login,
/// unless Psa:CustomerId names it already.
/// </summary>
internal sealed partial class PsaCustomerIdReader(
    IPsaCarAssociationsApi carAssociations,
    PsaTokenStore store,
    PsaAccount account,
    IOptions<PsaOptions> options,
    ILogger<PsaCustomerIdReader> logger)
{
    /// <returns>The full customer id, or null when the cloud did not give one (remote commands then need Psa:CustomerId).</returns>
    public async Task<string?> ReadAsync(CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(options.Value.CustomerId))
        {
            return account.FullCustomerId;
        }

        try
        {
            var associations = await PsaErrors.CallAsync(() => carAssociations.GetAsync(cancellationToken), vin: null, cancellationToken);
            if (associations.Select(a => a.Customer?.Trim()).FirstOrDefault(c => !string.IsNullOrEmpty(c)) is not { } customer)
            {
                LogNoCustomerId(logger, "the account has no car association");
                return null;
            }

            await store.SaveCustomerIdAsync(customer);
            return account.FullCustomerId;
        }
        catch (GatewayException failure)
        {
            // The login itself worked and is kept: reading the cars does not need the customer id, only remote commands do.
            LogNoCustomerId(logger, failure.Message);
            return null;
        }
    }

    [LoggerMessage(LogLevel.Warning, "PSA account connected, but its customer id is unknown ({Reason}); remote commands need Psa:CustomerId")]
    private static partial void LogNoCustomerId(ILogger logger, string reason);
}
