using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace EvGateway.Manufacturers.Psa.Pairing;

/// <summary>
/// The query string of an inWebo GET, encoded as psa_car_controller's HTTP library encodes a form: parameters in the
/// given order, unreserved characters kept, a space as '+', everything else %XX (so '/' travels as %2F).
/// </summary>
internal static class InWeboQuery
{
    public static string Encode(IEnumerable<KeyValuePair<string, string>> parameters) =>
        string.Join('&', parameters.Select(p => $"{EncodeComponent(p.Key)}={EncodeComponent(p.Value)}"));

    private static string EncodeComponent(string value)
    {
        var encoded = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            if (char.IsAsciiLetterOrDigit((char)b) || b is (byte)'_' or (byte)'.' or (byte)'-' or (byte)'~')
            {
                encoded.Append((char)b);
            }
            else if (b == (byte)' ')
            {
                encoded.Append('+');
            }
            else
            {
                encoded.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return encoded.ToString();
    }
}

/// <summary>
/// One XML answer of the inWebo server: the root's children as name → trimmed text (null when empty), read the way
/// psa_car_controller reads them (everything up to the XML declaration's end is dropped first).
/// </summary>
internal sealed class InWeboAnswer
{
    private static readonly XmlReaderSettings Untrusted = new() { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };

    private readonly Dictionary<string, string?> fields;

    private InWeboAnswer(Dictionary<string, string?> fields) => this.fields = fields;

    /// <summary>"OK", or the server's refusal such as "NOK:ACCESS".</summary>
    public string? Error => Get("err");

    public bool IsOk => Error == "OK";

    public bool Has(string name) => fields.ContainsKey(name);

    public string? Get(string name) => fields.GetValueOrDefault(name);

    /// <summary>Null when the answer is not an inWebo answer with the <paramref name="root"/> element.</summary>
    public static InWeboAnswer? TryParse(string body, string root)
    {
        var declarationEnd = body.IndexOf("?>", StringComparison.Ordinal);
        if (declarationEnd < 0)
        {
            return null;
        }

        XElement element;
        try
        {
            using var reader = XmlReader.Create(new StringReader(body[(declarationEnd + 2)..]), Untrusted);
            element = XElement.Load(reader);
        }
        catch (XmlException)
        {
            return null;
        }

        if (element.Name.LocalName != root)
        {
            return null;
        }

        var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var child in element.Elements())
        {
            var text = child.Value.Trim();
            // psa_car_controller supports one service per tool: a repeated field keeps its first value.
            fields.TryAdd(child.Name.LocalName, text.Length == 0 ? null : text);
        }

        return new InWeboAnswer(fields);
    }
}
