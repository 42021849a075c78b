import Testing
import EventRouter
@testable import EventRouterCloudFormation

/// The YAML 1.2 specification's examples that a CloudFormation template can use (chapter 2 and
/// the scalar/collection examples of chapters 6–8), each with the JSON it must read as.
@Suite struct YAMLSpecExampleTests {
    struct Example: Sendable, CustomStringConvertible {
        let name: String
        let yaml: String
        let json: String
        var description: String { name }
    }

    static let examples: [Example] = [
        Example(name: "2.1 sequence of scalars", yaml: "- Mark McGwire\n- Sammy Sosa\n- Ken Griffey\n",
                json: #"["Mark McGwire","Sammy Sosa","Ken Griffey"]"#),
        Example(name: "2.2 mapping scalars to scalars", yaml: "hr:  65    # Home runs\navg: 0.278 # Batting average\nrbi: 147   # Runs Batted In\n",
                json: #"{"hr":65,"avg":0.278,"rbi":147}"#),
        Example(name: "2.3 mapping scalars to sequences",
                yaml: "american:\n  - Boston Red Sox\n  - Detroit Tigers\nnational:\n  - New York Mets\n  - Chicago Cubs\n",
                json: #"{"american":["Boston Red Sox","Detroit Tigers"],"national":["New York Mets","Chicago Cubs"]}"#),
        Example(name: "2.4 sequence of mappings",
                yaml: "-\n  name: Mark McGwire\n  hr:   65\n  avg:  0.278\n-\n  name: Sammy Sosa\n  hr:   63\n  avg:  0.288\n",
                json: #"[{"name":"Mark McGwire","hr":65,"avg":0.278},{"name":"Sammy Sosa","hr":63,"avg":0.288}]"#),
        Example(name: "2.5 sequence of sequences",
                yaml: "- [name        , hr, avg  ]\n- [Mark McGwire, 65, 0.278]\n- [Sammy Sosa  , 63, 0.288]\n",
                json: #"[["name","hr","avg"],["Mark McGwire",65,0.278],["Sammy Sosa",63,0.288]]"#),
        Example(name: "2.6 mapping of mappings",
                yaml: "Mark McGwire: {hr: 65, avg: 0.278}\nSammy Sosa: {\n    hr: 63,\n    avg: 0.288,\n }\n",
                json: #"{"Mark McGwire":{"hr":65,"avg":0.278},"Sammy Sosa":{"hr":63,"avg":0.288}}"#),
        Example(name: "2.10 anchor and alias",
                yaml: "---\nhr:\n  - Mark McGwire\n  # Following node labeled SS\n  - &SS Sammy Sosa\nrbi:\n  - *SS # Subsequent occurrence\n  - Ken Griffey\n",
                json: #"{"hr":["Mark McGwire","Sammy Sosa"],"rbi":["Sammy Sosa","Ken Griffey"]}"#),
        Example(name: "2.12 compact nested mapping",
                yaml: "---\n# Products purchased\n- item    : Super Hoop\n  quantity: 1\n- item    : Basketball\n  quantity: 4\n- item    : Big Shoes\n  quantity: 1\n",
                json: #"[{"item":"Super Hoop","quantity":1},{"item":"Basketball","quantity":4},{"item":"Big Shoes","quantity":1}]"#),
        Example(name: "2.13 literal newlines preserved",
                yaml: "# ASCII Art\n--- |\n  \\//||\\/||\n  // ||  ||__\n",
                json: #""\\//||\\/||\n// ||  ||__\n""#),
        Example(name: "2.14 folded newlines become spaces",
                yaml: "--- >\n  Mark McGwire's\n  year was crippled\n  by a knee injury.\n",
                json: #""Mark McGwire's year was crippled by a knee injury.\n""#),
        Example(name: "2.15 folded: more-indented and blank lines kept",
                yaml: ">\n Sammy Sosa completed another\n fine season with great stats.\n\n   63 Home Runs\n   0.288 Batting Average\n\n What a year!\n",
                json: #""Sammy Sosa completed another fine season with great stats.\n\n  63 Home Runs\n  0.288 Batting Average\n\nWhat a year!\n""#),
        Example(name: "2.16 indentation determines scope",
                yaml: "name: Mark McGwire\naccomplishment: >\n  Mark set a major league\n  home run record in 1998.\nstats: |\n  65 Home Runs\n  0.278 Batting Average\n",
                json: #"{"name":"Mark McGwire","accomplishment":"Mark set a major league home run record in 1998.\n","stats":"65 Home Runs\n0.278 Batting Average\n"}"#),
        Example(name: "2.17 quoted scalars",
                yaml: "unicode: \"Sosa did fine.\\u263A\"\ncontrol: \"\\b1998\\t1999\\t2000\\n\"\nhex esc: \"\\x0d\\x0a is \\r\\n\"\n\nsingle: '\"Howdy!\" he cried.'\nquoted: ' # Not a ''comment''.'\ntie-fighter: '|\\-*-/|'\n",
                json: #"{"unicode":"Sosa did fine.☺","control":"\b1998\t1999\t2000\n","hex esc":"\r\n is \r\n","single":"\"Howdy!\" he cried.","quoted":" # Not a 'comment'.","tie-fighter":"|\\-*-/|"}"#),
        Example(name: "2.18 multi-line flow scalars",
                yaml: "plain:\n  This unquoted scalar\n  spans many lines.\n\nquoted: \"So does this\n  quoted scalar.\\n\"\n",
                json: #"{"plain":"This unquoted scalar spans many lines.","quoted":"So does this quoted scalar.\n"}"#),
        Example(name: "2.19 integers", yaml: "canonical: 12345\ndecimal: +12345\noctal: 0o14\nhexadecimal: 0xC\n",
                json: #"{"canonical":12345,"decimal":12345,"octal":12,"hexadecimal":12}"#),
        Example(name: "2.20 floating point", yaml: "canonical: 1.23015e+3\nexponential: 12.3015e+02\nfixed: 1230.15\n",
                json: #"{"canonical":1230.15,"exponential":1230.15,"fixed":1230.15}"#),
        Example(name: "2.21 miscellaneous (core schema)", yaml: "null:\nbooleans: [ true, false ]\nstring: '012345'\n",
                json: #"{"null":null,"booleans":[true,false],"string":"012345"}"#),
        Example(name: "yes/no/on/off are strings in YAML 1.2", yaml: "a: yes\nb: No\nc: on\nd: OFF\ne: y\n",
                json: #"{"a":"yes","b":"No","c":"on","d":"OFF","e":"y"}"#),
        Example(name: "5.3 block structure indicators", yaml: "sequence:\n- one\n- two\nmapping:\n  ? sky\n  : blue\n", json: ""),
        Example(name: "5.4 flow collection indicators", yaml: "sequence: [ one, two, ]\nmapping: { sky: blue, sea: green }\n",
                json: #"{"sequence":["one","two"],"mapping":{"sky":"blue","sea":"green"}}"#),
        Example(name: "6.1 indentation spaces",
                yaml: "  # Leading comment line spaces are\n   # neither content nor indentation.\n    \nNot indented:\n By one space: |\n    By four\n      spaces\n Flow style: [    # Leading spaces\n   By two,        # in flow style\n  Also by two,    # are neither\n  \tStill by two   # content nor\n    ]             # indentation.\n",
                json: #"{"Not indented":{"By one space":"By four\n  spaces\n","Flow style":["By two","Also by two","Still by two"]}}"#),
        Example(name: "7.4 double-quoted implicit keys", yaml: "\"implicit block key\" : [\n  \"implicit flow key\" : value,\n ]\n",
                json: #"{"implicit block key":[{"implicit flow key":"value"}]}"#),
        Example(name: "7.5 double-quoted line breaks",
                yaml: "\"folded \nto a space,\t\n \nto a line feed, or \t\\\n \\ \tnon-content\"\n",
                json: #""folded to a space,\nto a line feed, or \t \tnon-content""#),
        Example(name: "7.9 single-quoted lines", yaml: "' 1st non-empty\n\n 2nd non-empty \n\t3rd non-empty '\n",
                json: #"" 1st non-empty\n2nd non-empty 3rd non-empty ""#),
        Example(name: "7.12 plain lines", yaml: "1st non-empty\n\n 2nd non-empty \n\t3rd non-empty\n",
                json: #""1st non-empty\n2nd non-empty 3rd non-empty""#),
        Example(name: "7.13 flow sequence", yaml: "- [ one, two, ]\n- [three ,four]\n", json: #"[["one","two"],["three","four"]]"#),
        Example(name: "7.14 flow sequence entries",
                yaml: "[\n\"double\n quoted\", 'single\n           quoted',\nplain\n text, [ nested ],\nsingle: pair,\n]\n",
                json: #"["double quoted","single quoted","plain text",["nested"],{"single":"pair"}]"#),
        Example(name: "7.15 flow mappings", yaml: "- { one : two , three: four , }\n- {five: six,seven : eight}\n",
                json: #"[{"one":"two","three":"four"},{"five":"six","seven":"eight"}]"#),
        Example(name: "8.1 block scalar header", yaml: "- | # Empty header\n literal\n- >1 # Indentation indicator\n  folded\n- |+ # Chomping indicator\n keep\n\n- >1- # Both indicators\n  strip\n",
                json: #"["literal\n"," folded\n","keep\n\n"," strip"]"#),
        Example(name: "8.4 chomping final line break", yaml: "strip: |-\n  text\nclip: |\n  text\nkeep: |+\n  text\n",
                json: #"{"strip":"text","clip":"text\n","keep":"text\n"}"#),
        Example(name: "8.5 chomping trailing lines",
                yaml: " # Strip\n  # Comments:\nstrip: |-\n  # text\n  \n # Clip\n  # comments:\n\nclip: |\n  # text\n \n # Keep\n  # comments:\n\nkeep: |+\n  # text\n\n # Trail\n  # comments.\n",
                json: ##"{"strip":"# text","clip":"# text\n","keep":"# text\n\n"}"##),
        Example(name: "8.6 empty scalar chomping", yaml: "strip: >-\n\nclip: >\n\nkeep: |+\n\n",
                json: #"{"strip":"","clip":"","keep":"\n"}"#),
        Example(name: "8.7 literal scalar", yaml: "|\n literal\n \ttext\n\n", json: #""literal\n\ttext\n""#),
        Example(name: "8.8 literal content", yaml: "|\n \n  \n  literal\n   \n  \n  text\n\n # Comment\n",
                json: #""\n\nliteral\n \n\ntext\n""#),
        Example(name: "8.9 folded scalar", yaml: ">\n folded\n text\n\n", json: #""folded text\n""#),
        Example(name: "8.14 block sequence", yaml: "block sequence:\n  - one\n  - two : three\n",
                json: #"{"block sequence":["one",{"two":"three"}]}"#),
        Example(name: "8.15 block sequence entry types",
                yaml: "- # Empty\n- |\n block node\n- - one # Compact\n  - two # sequence\n- one: two # Compact mapping\n",
                json: #"[null,"block node\n",["one","two"],{"one":"two"}]"#),
        Example(name: "8.16 block mappings", yaml: "block mapping:\n key: value\n", json: #"{"block mapping":{"key":"value"}}"#),
        Example(name: "8.22 block collection nodes",
                yaml: "sequence: !!seq\n- entry\n- !!seq\n - nested\nmapping: !!map\n foo: bar\n",
                json: #"{"sequence":["entry",["nested"]],"mapping":{"foo":"bar"}}"#),
        Example(name: "10.x core schema tags", yaml: "a: !!str 123\nb: !!int '7'\nc: ~\nd: -.5\ne: 1e3\nf: 0o\n",
                json: #"{"a":"123","b":7,"c":null,"d":-0.5,"e":1e3,"f":"0o"}"#),
    ]

    @Test(arguments: examples.filter { !$0.json.isEmpty })
    func readsTheSpecExample(_ example: Example) throws {
        let node = try TemplateReader.read(example.yaml)
        #expect(node.json == (try JSONParser.parse(example.json)), "\(example.name): got \(node.json)")
    }

    @Test func complexKeysAreRefusedWithTheirPlace() {
        #expect(throws: YAMLError(line: 5, column: 3, "complex mapping keys ('? ') are not supported; write the key as a scalar")) {
            try TemplateReader.read(Self.examples.first { $0.name.hasPrefix("5.3") }?.yaml ?? "")
        }
    }
}
