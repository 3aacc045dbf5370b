"""keras.applications: the pretrained models and their preprocess_input / decode_predictions.

Keras 1 built its applications in keras.json's ordering. Channels-last ('tf') programs get
Keras 3's networks directly; channels-first ('th') programs get the runtime's builders,
which lay Keras 3's network out channels-first (runtime/applications.py). Xception was
channels-last whatever the ordering. VGG16 and VGG19 are the same networks in both
versions; Keras 3's ResNet50 and InceptionV3 are not Keras 1.2.2's, which is reported.
"""
from __future__ import annotations

from k1port.findings import Level
from k1port.rules import values as v
from k1port.rules.spec import Rule, rename

_K1 = "keras.applications."
_RT = "k1port.runtime.applications."
F = "applications"

# Where Keras 3's network differs from the one Keras 1.2.2 built under the same name.
_DIFFERS = {
    "ResNet50": "Keras 3's ResNet50 is not Keras 1.2.2's network (Keras 1 max-pooled conv1's output "
                "without padding, used BatchNormalization's epsilon 1e-3 and its own layer names, and "
                "with include_top=False still ended in a 7x7 average pool) and its ImageNet weights "
                "are another training run: outputs and layer names differ",
    "InceptionV3": "Keras 3's InceptionV3 is not Keras 1.2.2's network (Keras 1's convolutions had "
                   "biases and applied relu before BatchNormalization, with a scale) and its ImageNet "
                   "weights are another training run: outputs differ",
}


def _ordered(name: str):
    """The runtime builder for channels-first files; Keras 3's network otherwise. Reports
    where Keras 3's network is another one."""
    def variant(keywords, ctx):
        if name in _DIFFERS:
            ctx.report(Level.WARNING, "application-differs", _DIFFERS[name])
        return _RT + name if ctx.dim_ordering == "th" else None
    return variant


def _th(ctx):
    """States the file's 'th' ordering for the runtime builder (Keras 3's is channels-last)."""
    return v.literal_string("th") if ctx.dim_ordering == "th" else None


def _channels_first(ctx):
    return v.literal_string("channels_first") if ctx.dim_ordering == "th" else None


def _model(module: str, name: str) -> Rule:
    return Rule(f"{_K1}{module}.{name}", f"keras.applications.{name}", variant=_ordered(name),
                state={"dim_ordering": _th}, family=F)


RULES: list[Rule] = [
    _model("vgg16", "VGG16"),
    _model("vgg19", "VGG19"),
    _model("resnet50", "ResNet50"),
    _model("inception_v3", "InceptionV3"),
    # Keras 1 switched to 'tf' while it built Xception: channels-last in every file.
    Rule(f"{_K1}xception.Xception", "keras.applications.Xception", family=F),
    # Keras 1 subtracted the same BGR means in place (Keras 3's 'caffe' mode, the default).
    Rule(f"{_K1}imagenet_utils.preprocess_input", f"{_K1}imagenet_utils.preprocess_input",
         {"dim_ordering": rename("data_format", v.dim_ordering)}, state={"data_format": _channels_first},
         family=F),
    Rule(f"{_K1}imagenet_utils.decode_predictions", f"{_K1}imagenet_utils.decode_predictions", family=F),
    # x / 255 * 2 - 1 in place; Keras 3's 'tf' mode computes x / 127.5 - 1.
    *[Rule(f"{_K1}{m}.preprocess_input", f"{_K1}{m}.preprocess_input", family=F)
      for m in ("inception_v3", "xception")],
    *[Rule(f"{_K1}{path}", None, family=F,
           note="Keras 3 has no music tagger (its weights and librosa preprocessing were dropped)")
      for path in ("music_tagger_crnn.MusicTaggerCRNN", "audio_conv_utils.preprocess_input",
                   "audio_conv_utils.decode_predictions")],
]
