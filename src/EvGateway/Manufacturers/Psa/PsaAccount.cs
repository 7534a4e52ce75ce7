using Microsoft.Extensions.Options;

namespace EvGateway.Manufacturers.Psa;

/// <summary>
/// The account the adapter speaks for: the one last connected in the owner's browser (stored with its tokens), else
/// the one the settings name. The URL settings and `Psa:CustomerId` override what the login brought either way.
/// </summary>
internal sealed class PsaAccount(PsaTokenStore store, IOptions<PsaOptions> options)
{
    /// <summary>The app the tokens belong to; read as one piece so a login completing meanwhile never mixes two apps.</summary>
    public PsaAppClient Client => store.Login is { } login
        ? new PsaAppClient(login.Brand, login.ClientId, login.ClientSecret)
        : new PsaAppClient(options.Value.Brand, options.Value.ClientId, options.Value.ClientSecret);

    /// <summary>Brand prefix + account id, for the MQTT topics and envelopes.</summary>
    public string FullCustomerId => PsaBrandProfile.Of(store.Login?.Brand ?? options.Value.Brand).FullCustomerId(CustomerId);

    /// <summary>What to do when <see cref="KnowsCustomerId"/> is false, in the owner's words.</summary>
    public const string CustomerIdUnknown =
        "remote commands need the account's customer id, which PSA did not give: set Psa:CustomerId (AP-, AC- or OV- and the id)";

    /// <summary>False until the settings or a login named the account's customer id: remote commands need it.</summary>
    public bool KnowsCustomerId => !string.IsNullOrWhiteSpace(CustomerId);

    private string CustomerId => string.IsNullOrWhiteSpace(options.Value.CustomerId) ? store.Login?.CustomerId ?? "" : options.Value.CustomerId;
}

/// <summary>A brand's app as the identity server knows it: the client id and secret its tokens are bound to.</summary>
internal sealed record PsaAppClient(PsaBrand Brand, string ClientId, string ClientSecret)
{
    public string Realm => PsaBrandProfile.Of(Brand).Realm;

    public override string ToString() => $"{nameof(PsaAppClient)} {{ Brand = {Brand}, ClientId = {ClientId} }}";
}
