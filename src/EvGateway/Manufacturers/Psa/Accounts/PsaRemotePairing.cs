using EvGateway.Manufacturers.Psa.Mqtt;
using EvGateway.Manufacturers.Psa.Pairing;
using Microsoft.Extensions.Options;

namespace EvGateway.Manufacturers.Psa.Accounts;

/// <summary>
/// Pairs remote commands the way the brand app does (psa-remote-pairing.md §2-§4): PSA texts a code to the account's
/// phone, the owner gives it with the app's PIN, the inWebo soft token is activated, and its first one-time password
/// is traded for the remote tokens at once. The PIN is kept only inside the soft token's state (0600), which needs it
/// for every one-time password.
/// </summary>
internal sealed class PsaRemotePairing(
    IHttpClientFactory httpClients,
    InWeboClient inWebo,
    PsaRemoteTokenProvider remoteTokens,
    PsaAccountChanges changes,
    IOptions<PsaOptions> options)
{
    /// <summary>Asks PSA to text a pairing code to the phone of the connected account.</summary>
    public Task RequestSmsCodeAsync(CancellationToken cancellationToken) =>
        new PsaSmsCodeClient(httpClients.CreateClient(PsaSmsCodeClient.HttpClientName), new Uri(options.Value.SmsCodeUrl))
            .RequestAsync(cancellationToken);

    /// <exception cref="PsaPairingException">pairing_rejected (400) when the code, the PIN or the account was refused, or
    /// PSA refused the new pairing's first one-time password; otp_daily_limit when none may be taken today.</exception>
    public async Task PairAsync(string smsCode, string pin, CancellationToken cancellationToken)
    {
        await inWebo.ActivateAsync(smsCode, pin, cancellationToken);
        try
        {
            await remoteTokens.StartWithNewPairingAsync(cancellationToken);
        }
        catch (PsaPairingException refused) when (refused.Code == PsaPairingException.PairingRequiredCode)
        {
            throw new PsaPairingException(refused.Failure, PsaPairingException.PairingRejectedCode, 400, refused.Message,
                serverError: refused.ServerError);
        }
        finally
        {
            changes.CarsChanged();
        }
    }
}
