"""Arguments passed through `**kwargs`: a literal dict, or a name bound once to one, converts
like written keywords; arguments that stay unknown are never guessed."""
from convert_helpers import assert_converts, convert, levels
from k1port.findings import Level


def test_literal_dicts_bound_once_convert():
    assert_converts(
        """
        from keras.layers import merge, Convolution2D
        merge_args = dict(mode='concat', concat_axis=1)
        conv_args = {'border_mode': 'same', 'dim_ordering': 'tf'}
        c = merge([a, b], **merge_args)
        d = merge([a, b], **{'mode': 'mul'})
        e = Convolution2D(8, 3, 3, **conv_args)
        """,
        """
        from keras.layers import Concatenate, Multiply, Conv2D
        merge_args = dict(mode='concat', concat_axis=1)
        conv_args = {'border_mode': 'same', 'dim_ordering': 'tf'}
        c = Concatenate(axis=1)([a, b])
        d = Multiply()([a, b])
        e = Conv2D(8, (3, 3), padding='same', data_format='channels_last')
        """)


def test_dicts_changed_or_bound_twice_stay_unknown():
    # merge's mode behind unknown **kwargs: the runtime's merge reads it at run time (k1port
    # never guesses 'sum'); a layer keeps its **kwargs and is reported.
    result = convert("""
        from keras.layers import merge, Dense
        kw = dict(mode='concat')
        kw['concat_axis'] = 1
        c = merge([a, b], **kw)
        other = dict(output_dim=3)
        other = dict(output_dim=4)
        d = Dense(**other)
        """)
    assert "c = k1.merge([a, b], **kw)" in result.code
    assert "d = Dense(**other)" in result.code
    assert [f.line for f in levels(result, Level.WARNING)] == [4, 7]


def test_calls_through_an_alias_convert():
    # RNN = recurrent.LSTM (bound once): RNN(...) is an LSTM call, and keeps its name.
    assert_converts(
        """
        from keras.layers import recurrent
        RNN = recurrent.GRU
        print(RNN)
        r = RNN(16, return_sequences=True)
        """,
        """
        from keras import layers as recurrent
        import k1port.runtime as k1
        RNN = recurrent.GRU
        print(RNN)
        r = RNN(16, return_sequences=True, kernel_initializer=k1.PerGate('glorot_uniform', 3), recurrent_initializer=k1.PerGate('glorot_uniform', 3), recurrent_activation=k1.hard_sigmoid, reset_after=False)
        """)
