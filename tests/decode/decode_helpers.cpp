#include "decode/decode_helpers.hpp"

namespace tfm::test {

ModelConfig odd_decoding_config(bool norm_first) {
    ModelConfig c;
    c.d_model = 12;
    c.num_heads = 3;
    c.d_ff = 10;
    c.encoder_layers = 2;
    c.decoder_layers = 3;
    c.src_vocab_size = 11;
    c.tgt_vocab_size = 13;
    c.norm_first = norm_first;
    return c;
}

course::LessonModel dates_model() {
    course::ModelRequest request;
    request.task = "dates";
    return course::load_lesson_model(request);
}

}  // namespace tfm::test
