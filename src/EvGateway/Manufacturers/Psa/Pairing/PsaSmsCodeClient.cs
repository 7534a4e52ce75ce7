namespace EvGateway.Manufacturers.Psa.Pairing;

/// <summary>
/// Asks PSA to text a pairing code to the account's phone (psa-remote-pairing.md §2). The HTTP client given here must
/// carry the connected-car authentication (Bearer OAuth token, realm header, client_id: the PSA auth handler).
/// </summary>
public sealed class PsaSmsCodeClient(HttpClient http, Uri smsCodeUrl)
{
    /// <summary>Name of the HttpClient to give this client: the PSA auth handler, no retries (each retry is a text message).</summary>
    public const string HttpClientName = "Psa.SmsCode";

    public const string DefaultSmsCodeUrl = "https://api.groupe-psa.com/applications/cvs/v4/mobile/smsCode";

    /// <summary>Returns once PSA accepted to send the text (any 2xx; the answer carries nothing else).</summary>
    /// <exception cref="EvGateway.Vehicles.GatewayException">The cloud refused or could not be reached.</exception>
    public async Task RequestAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, smsCodeUrl);
        request.Headers.TryAddWithoutValidation("User-Agent", "okhttp/4.8.0");
        using var response = await PsaErrors.SendAsync(http, request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw PsaErrors.FromStatus(response, "the SMS code request");
        }
    }
}
