namespace EvGateway.Manufacturers.Psa;

/// <summary>
/// What differs between the Stellantis brands (psa.md §1, §1b): the realm the APIs check, the brand's identity server,
/// the app's redirect scheme the browser login ends on, and the prefix of MQTT customer ids.
/// </summary>
internal sealed record PsaBrandProfile(string Realm, string IdentityHost, string RedirectScheme, string CustomerPrefix)
{
    private static readonly Dictionary<PsaBrand, PsaBrandProfile> Profiles = new()
    {
        [PsaBrand.Peugeot] = new("clientsB2CPeugeot", "idpcvs.peugeot.com", "mymap", "AP-"),
        [PsaBrand.Citroen] = new("clientsB2CCitroen", "idpcvs.citroen.com", "mymacsdk", "AC-"),
        [PsaBrand.DS] = new("clientsB2CDS", "idpcvs.driveds.com", "mymdssdk", "AC-"),
        [PsaBrand.Opel] = new("clientsB2COpel", "idpcvs.opel.com", "mymopsdk", "OV-"),
        [PsaBrand.Vauxhall] = new("clientsB2CVauxhall", "idpcvs.vauxhall.co.uk", "mymvxsdk", "OV-"),
    };

    public static PsaBrandProfile Of(PsaBrand brand) =>
        Profiles.TryGetValue(brand, out var profile) ? profile : throw new ArgumentOutOfRangeException(nameof(brand), brand, null);

    /// <summary>The brand whose APIs check <paramref name="realm"/> ("clientsB2CPeugeot"), as psa_car_controller's config.json names it.</summary>
    public static PsaBrand? BrandOfRealm(string realm) =>
        Profiles.Where(p => string.Equals(p.Value.Realm, realm.Trim(), StringComparison.OrdinalIgnoreCase)).Select(p => (PsaBrand?)p.Key).FirstOrDefault();

    /// <summary>"Peugeot", "citroen", "Citroën", "DS", ... as an owner types it; null for anything else.</summary>
    public static PsaBrand? ParseBrand(string? name)
    {
        var text = name?.Trim().Replace('ë', 'e').Replace('Ë', 'E');
        return Profiles.Keys.Where(b => string.Equals(b.ToString(), text, StringComparison.OrdinalIgnoreCase)).Select(b => (PsaBrand?)b)
            .FirstOrDefault();
    }

    public const string BrandNames = "Peugeot, Citroen, DS, Opel or Vauxhall";

    public Uri TokenUrl => new($"https://{IdentityHost}/am/oauth2/access_token");

    public Uri AuthorizeUrl => new($"https://{IdentityHost}/am/oauth2/authorize");

    /// <summary>Where the brand's login page sends the browser: the app's own scheme, which a desktop browser cannot open.</summary>
    public string RedirectUri(string country) => $"{RedirectScheme}://oauth2redirect/{country.ToLowerInvariant()}";

    /// <summary>"AP-ACNT..." stays as it is; a bare account id gets the brand's prefix.</summary>
    public string FullCustomerId(string customerId)
    {
        var id = customerId.Trim();
        return id.Length > 3 && id[2] == '-' ? id : $"{CustomerPrefix}{id}";
    }
}
